"""iCalendar for help sessions (invitations by e-mail and the volunteer's calendar feed)."""

from datetime import UTC

from icalendar import Calendar, Event

PRODID = "-//digibuddy//sessions//NL"


def _utc(value):
    return value.replace(tzinfo=UTC)


def session_event(
    session, *, summary: str, location: str, description: str, sequence: int = 0, cancelled: bool = False
) -> Event:
    event = Event()
    event.add("uid", f"session-{session.id}@digibuddy")
    event.add("dtstamp", _utc(session.created_at))
    event.add("dtstart", _utc(session.starts_at))
    event.add("dtend", _utc(session.ends_at))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def calendar(events, method: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    for event in events:
        cal.add_component(event)
    return cal.to_ical()
