"""The volunteer's home page (offers, requests, sessions, shifts, figures) and the private calendar feed,
read back with the icalendar package."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar
from sqlalchemy import delete

from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.matching.models import OfferStatus
from digibuddy.requests.models import RequestStatus
from digibuddy.requests.references import display_reference
from digibuddy.scheduling.models import SessionStatus
from digibuddy.volunteers.models import (
    AvailabilitySlot,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerStatus,
    VolunteerTopic,
)
from tests.conftest import text
from tests.factories import LocationFactory, NetworkFactory, make_volunteer
from tests.volunteers_helpers import make_offer, make_session, make_shift


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])


@pytest.fixture
def volunteer(gent):
    volunteer = make_volunteer(gent, status=VolunteerStatus.ACTIVE, calendar_token="secret-token-" + "a" * 30)
    volunteer.user.locale = "en"
    db.session.commit()
    return volunteer


def test_home_page_shows_offers_requests_sessions_shifts_and_figures(client, gent, volunteer):
    waiting = make_offer(gent, volunteer, expires_in=timedelta(hours=20))
    make_offer(gent, volunteer, expires_in=timedelta(hours=-1))  # expired, not yet swept: not shown
    accepted = make_offer(gent, volunteer, status=OfferStatus.ACCEPTED)
    accepted.request.status = RequestStatus.SCHEDULED
    done_request = make_offer(gent, volunteer, status=OfferStatus.ACCEPTED)
    done_request.request.status = RequestStatus.COMPLETED
    db.session.commit()
    upcoming = make_session(
        gent, volunteer, utcnow() + timedelta(days=2), location=LocationFactory(network=gent)
    )
    make_session(gent, volunteer, utcnow() + timedelta(days=3), status=SessionStatus.CANCELLED)
    start = utcnow().replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    make_session(gent, volunteer, start + timedelta(hours=10), minutes=90, status=SessionStatus.DONE)
    make_session(gent, volunteer, start + timedelta(hours=34), minutes=60, status=SessionStatus.DONE)
    make_session(
        gent, volunteer, start - timedelta(days=3), minutes=60, status=SessionStatus.DONE
    )  # last year
    shift = make_shift(gent, volunteer, date.today() + timedelta(days=5))
    make_shift(gent, volunteer, date.today() - timedelta(days=5), title="Voorbij")

    client.login(volunteer.user)
    page = text(client.get("/home?lang=en"))
    assert f'href="/offers/{waiting.id}"' in page and "answer before" in page
    assert '<span class="figure">1</span> offers waiting for your answer' in page
    assert display_reference(accepted.request.reference) in page and "Appointment planned" in page
    assert display_reference(done_request.request.reference) not in page
    assert display_reference(upcoming.request.reference) in page and upcoming.location.name in page
    assert '<span class="figure">1</span> upcoming sessions' in page
    assert "Koffie &amp; Formulieren" in page and "09:30–11:30" in page and "Voorbij" not in page
    assert '<span class="figure">2</span> sessions this year' in page
    assert '<span class="figure">2.5</span> hours this year' in page
    assert shift.moment.location.name in page


def test_an_applicant_is_told_what_to_do_next(client, gent):
    applicant = make_volunteer(gent, status=VolunteerStatus.APPLIED, vetted=False, languages=())
    client.login(applicant.user)
    page = text(client.get("/home?lang=en"))
    assert "Your status: Applied" in page
    assert "Do the required training (0 of 3 done)" in page
    assert "Complete your profile" in page


@pytest.mark.parametrize("without", [None, "languages", "topics", "availability"])
def test_the_home_page_asks_for_each_missing_part_of_the_profile(client, gent, without):
    complete = make_volunteer(gent, topics=("itsme-install",))
    if without == "languages":
        db.session.execute(delete(VolunteerLanguage).where(VolunteerLanguage.volunteer_id == complete.id))
    elif without == "topics":
        db.session.execute(delete(VolunteerTopic).where(VolunteerTopic.volunteer_id == complete.id))
    elif without == "availability":
        db.session.execute(delete(AvailabilitySlot).where(AvailabilitySlot.volunteer_id == complete.id))
    db.session.commit()
    client.login(complete.user)
    page = text(client.get("/home?lang=en"))
    assert ("Complete your profile" in page) == (without is not None)


def test_an_empty_home_page_says_so(client, volunteer):
    client.login(volunteer.user)
    page = text(client.get("/home?lang=en"))
    assert (
        "No offers at the moment." in page and "No sessions planned." in page and "No drop-in shifts." in page
    )


# --------------------------------------------------------------------------------------------- calendar
def feed(client, token) -> Calendar:
    response = client.get(f"/volunteers/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.data)


def test_the_calendar_feed_lists_sessions_and_shifts_in_utc(client, gent, volunteer):
    starts = datetime(2030, 3, 5, 13, 0)  # naive UTC, as stored
    session = make_session(
        gent, volunteer, starts, minutes=90, location=LocationFactory(network=gent, name="Bib")
    )
    cancelled = make_session(gent, volunteer, datetime(2030, 3, 6, 9, 0), status=SessionStatus.CANCELLED)
    winter = make_shift(gent, volunteer, date(2030, 1, 8), starts=time(9, 30), ends=time(11, 30))
    summer = make_shift(gent, volunteer, date(2030, 7, 9), starts=time(9, 30), ends=time(11, 30))
    make_session(gent, make_volunteer(gent), datetime(2030, 3, 5, 13, 0))  # someone else's

    calendar = feed(client, volunteer.calendar_token)  # no log-in needed: the link is the secret
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        f"session-{session.id}@digibuddy",
        f"session-{cancelled.id}@digibuddy",
        f"shift-{winter.id}@digibuddy",
        f"shift-{summer.id}@digibuddy",
    }
    event = events[f"session-{session.id}@digibuddy"]
    assert event.decoded("dtstart") == datetime(2030, 3, 5, 13, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2030, 3, 5, 14, 30, tzinfo=UTC)
    assert display_reference(session.request.reference) in str(event["summary"])
    assert "Bib" in str(event["location"]) and str(event["status"]) == "CONFIRMED"
    assert str(events[f"session-{cancelled.id}@digibuddy"]["status"]) == "CANCELLED"
    # Drop-in moments are set in Brussels time: 09:30 is 08:30 UTC in winter and 07:30 UTC in summer.
    assert events[f"shift-{winter.id}@digibuddy"].decoded("dtstart") == datetime(
        2030, 1, 8, 8, 30, tzinfo=UTC
    )
    assert events[f"shift-{summer.id}@digibuddy"].decoded("dtstart") == datetime(
        2030, 7, 9, 7, 30, tzinfo=UTC
    )
    assert "Koffie & Formulieren" in str(events[f"shift-{winter.id}@digibuddy"]["summary"])
    # Nothing about the resident leaves the platform.
    ical = client.get(f"/volunteers/calendar/{volunteer.calendar_token}.ics").get_data(as_text=True)
    assert session.request.resident.first_name not in ical


def test_the_feed_is_in_the_volunteers_language(client, gent, volunteer):
    make_session(gent, volunteer, datetime(2030, 3, 5, 13, 0))
    volunteer.user.locale = "nl"
    db.session.commit()
    calendar = feed(client, volunteer.calendar_token)
    with force_locale("nl"):
        assert str(calendar["x-wr-calname"]) == _("digibuddy: my sessions and shifts")
        summary = str(next(iter(calendar.walk("VEVENT")))["summary"])
        assert summary.startswith(_("digibuddy: help session %(code)s", code="").strip())


@pytest.mark.parametrize("token", ["wrong", "", "x" * 300, "%00", "../../etc/passwd"])
def test_a_wrong_token_gives_404(client, volunteer, token):
    assert client.get(f"/volunteers/calendar/{token}.ics").status_code == 404


def test_resetting_the_link_stops_the_old_one(client, volunteer):
    old = volunteer.calendar_token
    client.login(volunteer.user)
    page = text(client.get("/volunteers/profile?lang=en"))
    assert f"/volunteers/calendar/{old}.ics" in page
    client.submit("/volunteers/profile/calendar", {}, form_url="/volunteers/profile")
    db.session.expire_all()
    new = db.session.get(VolunteerProfile, volunteer.id).calendar_token
    assert new and new != old and len(new) >= 40
    assert client.get(f"/volunteers/calendar/{old}.ics").status_code == 404
    feed(client, new)


def test_a_volunteer_without_a_link_can_make_one(client, gent):
    volunteer = make_volunteer(gent)
    assert volunteer.calendar_token is None
    client.login(volunteer.user)
    assert "Make a calendar link" in text(client.get("/volunteers/profile?lang=en"))
    client.submit("/volunteers/profile/calendar", {}, form_url="/volunteers/profile")
    db.session.expire_all()
    assert db.session.get(VolunteerProfile, volunteer.id).calendar_token


def test_the_feed_of_a_blocked_account_is_gone(client, volunteer):
    volunteer.user.active = False
    db.session.commit()
    assert client.get(f"/volunteers/calendar/{volunteer.calendar_token}.ics").status_code == 404
