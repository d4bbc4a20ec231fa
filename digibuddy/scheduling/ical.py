"""iCalendar for help sessions (invitations by e-mail and the volunteer's calendar feed) and for every other
appointment with a time and a place (learning-network events)."""

from datetime import UTC

from icalendar import Calendar, Event

PRODID = "-//digibuddy//sessions//NL"


def _utc(value):
    return value.replace(tzinfo=UTC)


def appointment(
    uid: str,
    *,
    stamp,
    starts,
    ends,
    summary: str,
    location: str,
    description: str,
    sequence: int = 0,
    cancelled: bool = False,
    url: str | None = None,
) -> Event:
    """One VEVENT; times are naive UTC (as stored)."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", _utc(starts))
    event.add("dtend", _utc(ends))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if url:
        event.add("url", url)
    return event


def session_event(
    session, *, summary: str, location: str, description: str, sequence: int = 0, cancelled: bool = False
) -> Event:
    return appointment(
        f"session-{session.id}@digibuddy",
        stamp=session.created_at,
        starts=session.starts_at,
        ends=session.ends_at,
        summary=summary,
        location=location,
        description=description,
        sequence=sequence,
        cancelled=cancelled,
    )


def calendar(events, method: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    for event in events:
        cal.add_component(event)
    return cal.to_ical()
