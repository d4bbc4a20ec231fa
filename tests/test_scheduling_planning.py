"""The session form shows the facts and proposes free moments; only a coordinator plans outside opening
hours or on a public holiday; a volunteer asks the coordinator instead; video sessions get a link."""

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.core.time import public_holiday_name, to_local
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.requests.models import HelpMode, RequestEvent, RequestStatus
from digibuddy.scheduling.models import HelpSession
from tests.conftest import text
from tests.factories import NetworkFactory, make_user
from tests.scheduling_helpers import matched_request, next_weekday, open_location

PROPOSAL_RE = re.compile(
    r'name="date" value="([\d-]+)">\s*<input type="hidden" name="starts" value="([\d:]+)">\s*'
    r'<input type="hidden" name="ends" value="([\d:]+)">'
)


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000", "9050"])


def proposals(page: str) -> list[tuple[date, str, str]]:
    return [(date.fromisoformat(d), s, e) for d, s, e in PROPOSAL_RE.findall(page)]


def test_the_form_shows_the_facts_and_three_free_moments_the_volunteer_plans_one(client, gent):
    # The resident prefers Tuesday mornings; the volunteer is free on Tuesdays 9-12; the library opens 9-17.
    request, volunteer = matched_request(gent)
    location = open_location(gent)
    client.login(volunteer.user)
    url = f"/requests/{request.id}/sessions/new?lang=en"
    page = text(client.get(url))
    found = proposals(page)
    today = to_local(datetime.utcnow()).date()
    assert len(found) == 3 and [s for _d, s, _e in found] == ["09:00"] * 3
    assert all(day.weekday() == 1 and not public_holiday_name(day) for day, _s, _e in found), found
    assert all(end == "10:00" for _d, _s, end in found)
    assert found[0][0] <= today + timedelta(days=14) and found[0][0] < found[1][0] < found[2][0]
    # The facts of the first proposed day: open 9-17, the resident's morning, the volunteer's slot.
    assert "What fits on" in page and "Bibliotheek De Krook: 9:00\u202fAM – 5:00\u202fPM" in page
    assert "8:00\u202fAM – 12:00\u202fPM" in page and "9:00\u202fAM – 12:00\u202fPM" in page
    assert f'<option selected value="{location.id}">' in page  # the location no longer starts empty
    # One click plans the first moment.
    day, starts, ends = found[0]
    response = client.submit(
        url,
        {
            "date": day.isoformat(),
            "starts": starts,
            "ends": ends,
            "place_kind": "location",
            "location_id": location.id,
        },
        form_url=url,
    )
    assert response.status_code == 302, text(response)[:3000]
    session = db.session.scalar(select(HelpSession).where(HelpSession.request_id == request.id))
    assert to_local(session.starts_at) == datetime.combine(day, datetime.min.time()).replace(hour=9)
    assert request.status == RequestStatus.SCHEDULED
    # That appointment is now a fact: the same day's next free moment is 10:00.
    page = text(client.get(f"{url}&day={day.isoformat()}"))
    assert proposals(page)[0] == (day, "10:00", "11:00")
    assert "9:00\u202fAM – 10:00\u202fAM" in page  # listed under the digibuddy's appointments


def test_a_public_holiday_and_a_closed_day_show_as_facts(client, gent):
    request, volunteer = matched_request(gent)
    open_location(gent)
    client.login(volunteer.user)
    year = date.today().year + 1
    page = text(client.get(f"/requests/{request.id}/sessions/new?lang=en&day={year}-07-21"))
    assert "Public holiday" in page and "National Day" in page
    sunday = next_weekday(6)
    page = text(client.get(f"/requests/{request.id}/sessions/new?lang=en&day={sunday.isoformat()}"))
    assert "Closed that day" in page and "Not this day" in page
    # Bad input in the facts form never breaks the page.
    for bad in ("day=2026-13-45", "minutes=abc", "place=moon", "location=x", "day=1900-01-01"):
        assert client.get(f"/requests/{request.id}/sessions/new?lang=en&{bad}").status_code == 200


def test_only_the_coordinator_plans_outside_opening_hours_the_volunteer_asks(client, make_client, gent):
    request, volunteer = matched_request(gent)
    location = open_location(gent)
    coordinator_user = make_user(Role.COORDINATOR, gent)
    day = next_weekday(2)
    late = {
        "date": day.isoformat(),
        "starts": "18:00",
        "ends": "19:00",
        "place_kind": "location",
        "location_id": location.id,
        "override_reason": "Avondopening",
    }
    url = f"/requests/{request.id}/sessions/new?lang=en"
    client.login(volunteer.user)
    page = text(client.get(url))
    assert 'name="override_reason"' not in page and "Ask the coordinator" in page
    response = client.submit(url, late, form_url=url)
    assert response.status_code == 422 and "ask the coordinator to plan it" in text(response)
    assert db.session.scalar(select(HelpSession.id).where(HelpSession.request_id == request.id)) is None
    # The volunteer asks instead: logged on the request and e-mailed to the coordinator.
    response = client.submit(
        f"/requests/{request.id}/sessions/ask",
        {"message": "De bewoner kan enkel woensdagavond."},
        form_url=url,
    )
    assert response.status_code == 302
    event = db.session.scalar(select(RequestEvent).where(RequestEvent.kind == "planning_question"))
    assert event.note == "De bewoner kan enkel woensdagavond." and event.actor_id == volunteer.user_id
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "planning_question"))
    assert mail.recipient == coordinator_user.email and "woensdagavond" in mail.body
    assert (
        client.submit(f"/requests/{request.id}/sessions/ask", {"message": ""}, form_url=url).status_code
        == 302
    )
    # The coordinator plans it with a reason.
    coordinator = make_client()
    coordinator.login(coordinator_user)
    assert 'name="override_reason"' in text(coordinator.get(url))
    response = coordinator.submit(url, late, form_url=url)
    assert response.status_code == 302
    session = db.session.scalar(select(HelpSession).where(HelpSession.request_id == request.id))
    assert session.override_reason == "Avondopening"


def test_a_video_session_gets_its_meeting_link(client, gent):
    request, volunteer = matched_request(gent, mode=HelpMode.VIDEO, resident_email="sara@example.org")
    client.login(volunteer.user)
    url = f"/requests/{request.id}/sessions/new?lang=en"
    day = next_weekday(1)
    data = {"date": day.isoformat(), "starts": "10:00", "ends": "11:00", "place_kind": "video"}
    response = client.submit(url, {**data, "meeting_url": "meet jitsi"}, form_url=url)
    assert response.status_code == 422 and "starting with https://" in text(response)
    response = client.submit(
        url, {**data, "meeting_url": " https://meet.jit.si/digibuddy-sara "}, form_url=url
    )
    assert response.status_code == 302
    session = db.session.scalar(select(HelpSession).where(HelpSession.request_id == request.id))
    assert session.meeting_url == "https://meet.jit.si/digibuddy-sara"
    assert "https://meet.jit.si/digibuddy-sara" in text(client.get(f"/sessions/{session.id}"))
    # Only the resident and the volunteer get the link.
    told = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "session_planned")).all()
    assert sorted(m.recipient for m in told if "meet.jit.si/digibuddy-sara" in m.body) == sorted(
        ["sara@example.org", volunteer.user.email]
    )
