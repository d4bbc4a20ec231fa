"""Planning help sessions: every refusal, overrides with a reason, moves, cancellations, follow-ups,
iCalendar invitations parsed back, and who sees the home address."""

from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.core.exceptions import DomainError
from digibuddy.core.time import to_local
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.requests.models import HelpMode, RequestStatus
from digibuddy.scheduling import services
from digibuddy.scheduling.models import HelpSession, PlaceKind, SessionStatus
from tests.conftest import text
from tests.factories import NetworkFactory, make_user
from tests.scheduling_helpers import local, matched_request, next_weekday, open_location


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000", "9050"])


def plan(request, day, start, end, place=PlaceKind.LOCATION, location=None, override=None, actor=None):
    actor = actor or make_user(Role.COORDINATOR, request.network)
    return services.plan_session(
        request,
        start_local=local(day, *start),
        end_local=local(day, *end),
        place_kind=place,
        location=location,
        actor=actor,
        override_reason=override,
        locale="en",
    )


def test_planning_a_session_schedules_the_request_and_sends_an_invitation(gent):
    request, volunteer = matched_request(gent)
    location = open_location(gent)
    day = next_weekday(1)
    session = plan(request, day, (10, 0), (11, 0), location=location)
    assert request.status == RequestStatus.SCHEDULED and session.status == SessionStatus.PLANNED
    assert to_local(session.starts_at) == local(day, 10)
    invitation = db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.kind == "session_planned", OutboxMessage.recipient == volunteer.user.email
        )
    )
    assert invitation.attachment_type.startswith("text/calendar")
    calendar = Calendar.from_ical(invitation.attachment)
    assert calendar["method"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["uid"]) == f"session-{session.id}@digibuddy"
    assert event.decoded("dtstart").replace(tzinfo=None) == session.starts_at
    assert "Bibliotheek De Krook" in str(event["location"])
    sms = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "+32470112233"))
    assert sms.channel == "sms" and "Bibliotheek De Krook" in sms.body


def test_double_booking_is_refused(gent, english):
    request, volunteer = matched_request(gent)
    location = open_location(gent)
    day = next_weekday(1)
    plan(request, day, (10, 0), (11, 0), location=location)
    other = matched_request(gent)[0]
    # Give the same volunteer the second request too.
    from digibuddy.matching.models import Offer

    db.session.execute(db.update(Offer).where(Offer.request_id == other.id).values(volunteer_id=volunteer.id))
    db.session.commit()
    with pytest.raises(DomainError, match="already has a session then"):
        plan(other, day, (10, 30), (11, 30), location=location)
    plan(other, day, (11, 0), (12, 0), location=location)  # back to back is fine


def test_outside_opening_hours_is_refused_unless_a_reason_is_given(gent, english):
    request, _v = matched_request(gent)
    location = open_location(gent)
    day = next_weekday(1)
    with pytest.raises(DomainError, match="closed at that time"):
        plan(request, day, (17, 30), (18, 30), location=location)
    saturday = next_weekday(5)
    with pytest.raises(DomainError, match="closed at that time"):
        plan(request, saturday, (10, 0), (11, 0), location=location)
    session = plan(
        request, day, (17, 30), (18, 30), location=location, override="Avondopening voor deze bewoner"
    )
    assert session.override_reason == "Avondopening voor deze bewoner"


def test_public_holiday_is_refused_unless_a_reason_is_given(gent, english):
    request, _v = matched_request(gent, mode=HelpMode.PHONE)
    year = date.today().year + 1
    national_day = date(year, 7, 21)
    with pytest.raises(DomainError, match="public holiday"):
        plan(request, national_day, (10, 0), (11, 0), place=PlaceKind.PHONE)
    plan(request, national_day, (10, 0), (11, 0), place=PlaceKind.PHONE, override="Bewoner vraagt het zelf")


def test_a_session_in_the_past_is_refused_even_with_a_reason(gent, english):
    request, _v = matched_request(gent, mode=HelpMode.PHONE)
    yesterday = date.today() - timedelta(days=1)
    with pytest.raises(DomainError, match="already passed"):
        plan(request, yesterday, (10, 0), (11, 0), place=PlaceKind.PHONE, override="toch")


def test_end_before_start_and_too_long_are_refused(gent, english):
    request, _v = matched_request(gent, mode=HelpMode.PHONE)
    day = next_weekday(2)
    with pytest.raises(DomainError, match="end must be after the start"):
        plan(request, day, (11, 0), (10, 0), place=PlaceKind.PHONE)
    with pytest.raises(DomainError, match="at most 8 hours"):
        plan(request, day, (8, 0), (17, 0), place=PlaceKind.PHONE)


def test_only_a_matched_request_can_get_a_session(gent, english):
    request, _v = matched_request(gent, mode=HelpMode.PHONE)
    request.status = RequestStatus.CANCELLED
    db.session.commit()
    with pytest.raises(DomainError, match="once a digibuddy has accepted"):
        plan(request, next_weekday(2), (10, 0), (11, 0), place=PlaceKind.PHONE)


def test_move_and_cancel_with_a_reason_and_follow_up(gent):
    request, volunteer = matched_request(gent, mode=HelpMode.PHONE)
    day = next_weekday(2)
    session = plan(request, day, (10, 0), (11, 0), place=PlaceKind.PHONE)
    actor = make_user(Role.COORDINATOR, gent)
    with pytest.raises(DomainError):
        services.reschedule_session(
            session, start_local=local(day, 14), end_local=local(day, 15), reason=" ", actor=actor
        )
    services.reschedule_session(
        session,
        start_local=local(day, 14),
        end_local=local(day, 15),
        reason="Bewoner heeft 's ochtends de dokter",
        actor=actor,
    )
    moved = db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.kind == "session_moved", OutboxMessage.recipient == volunteer.user.email
        )
    )
    event = Calendar.from_ical(moved.attachment).walk("VEVENT")[0]
    assert int(event["sequence"]) == 1 and to_local(event.decoded("dtstart").replace(tzinfo=None)) == local(
        day, 14
    )
    follow_up = plan(request, day + timedelta(days=7), (10, 0), (11, 0), place=PlaceKind.PHONE)
    services.cancel_session(session, reason="Ziek", actor=actor)
    assert session.status == SessionStatus.CANCELLED
    assert request.status == RequestStatus.SCHEDULED  # the follow-up is still planned
    services.cancel_session(follow_up, reason="Niet meer nodig", actor=actor)
    assert request.status == RequestStatus.MATCHED
    cancelled = db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.kind == "session_cancelled", OutboxMessage.recipient == volunteer.user.email
        )
    )
    assert Calendar.from_ical(cancelled.attachment)["method"] == "CANCEL"


def test_volunteer_plans_through_the_web_and_errors_keep_the_input(client, gent):
    request, volunteer = matched_request(gent)
    location = open_location(gent)
    client.login(volunteer.user)
    day = next_weekday(3)
    url = f"/requests/{request.id}/sessions/new?lang=en"
    response = client.submit(
        url,
        {
            "date": day.isoformat(),
            "starts": "18:00",
            "ends": "19:00",
            "place_kind": "location",
            "location_id": location.id,
        },
        form_url=url,
    )
    page = text(response)
    assert response.status_code == 422 and "closed at that time" in page and 'value="18:00"' in page
    response = client.submit(
        url,
        {
            "date": day.isoformat(),
            "starts": "10:00",
            "ends": "11:00",
            "place_kind": "location",
            "location_id": location.id,
        },
        form_url=url,
    )
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Bibliotheek De Krook" in page
    assert (
        client.submit(url, {"date": "31-31-2030", "starts": "25:00", "ends": "x"}, form_url=url).status_code
        == 422
    )


def test_home_address_only_for_the_assigned_volunteer_and_the_coordinator(client, make_client, gent):
    request, volunteer = matched_request(gent, mode=HelpMode.HOME)
    session = plan(request, next_weekday(2), (10, 0), (11, 0), place=PlaceKind.HOME)
    client.login(volunteer.user)
    assert "Veldstraat 1" in text(client.get(f"/sessions/{session.id}"))
    coordinator = make_client()
    coordinator.login(make_user(Role.COORDINATOR, gent))
    assert "Veldstraat 1" in text(coordinator.get(f"/sessions/{session.id}"))
    other_volunteer = make_client()
    other_volunteer.login(matched_request(gent)[1].user)
    assert other_volunteer.get(f"/sessions/{session.id}").status_code == 404
    counter = make_client()
    counter.login(make_user(Role.COUNTER, gent))
    assert counter.get(f"/sessions/{session.id}").status_code == 404
    slip = counter.get(f"/sessions/{session.id}/print")
    assert slip.status_code == 200 and "Veldstraat" not in text(slip)
    stranger = make_client()
    stranger.login(make_user(Role.COUNTER, NetworkFactory(postcodes=["2800"])))
    assert stranger.get(f"/sessions/{session.id}/print").status_code == 404


def test_planned_sessions_show_on_the_residents_status_page(client, gent):
    request, _v = matched_request(gent)
    location = open_location(gent)
    plan(request, next_weekday(1), (10, 0), (11, 0), location=location)
    client.submit(
        "/status?lang=en", {"reference": request.reference, "postcode": "9000"}, form_url="/status?lang=en"
    )
    page = text(client.get("/status/request"))
    assert "You have an appointment with your digibuddy." in page and "Bibliotheek De Krook" in page
    assert db.session.scalar(select(HelpSession.id)) is not None
