"""Recording what a session achieved: the form and its validation, who may record, follow-ups that reopen
the request, no-shows, and closing a request with its final result (which invites the resident's feedback)."""

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.core.exceptions import DomainError
from digibuddy.extensions import db
from digibuddy.notifications.models import MessageChannel, OutboxMessage
from digibuddy.outcomes import services
from digibuddy.outcomes.models import Outcome, OutcomeResult
from digibuddy.outcomes.rules import STILL_PLANNED, status_after_outcome
from digibuddy.requests.models import RequestEvent, RequestStatus
from digibuddy.scheduling.models import SessionStatus
from tests.conftest import text
from tests.factories import NetworkFactory, make_user
from tests.matching_helpers import ITSME, TAX, topic
from tests.outcomes_helpers import add_session, helped_request


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"], phone="09 210 10 10")


def outcome_form(**overrides):
    data = {
        "attendance": "done",
        "result": "solved",
        "referred_to": "",
        "referred_other": "",
        "topics": [topic(ITSME).id],
        "minutes_spent": "75",
        "confidence_before": "2",
        "confidence_after": "4",
        "follow_up": "no",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def messages(kind):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def test_volunteer_records_the_outcome_and_the_request_is_completed(client, gent):
    request, session, volunteer = helped_request(gent)
    client.login(volunteer.user)
    url = f"/sessions/{session.id}/outcome?lang=en"
    page = text(client.get(url))
    assert "Never write down passwords, PIN codes, itsme codes, card reader codes or bank codes." in page
    assert "Before the session: how sure did the resident feel about doing this alone?" in page
    response = client.submit(url, outcome_form(topics=[topic(ITSME).id, topic(TAX).id]))
    assert response.status_code == 302, text(response)[:3000]

    outcome = db.session.scalar(select(Outcome).where(Outcome.session_id == session.id))
    assert outcome.result == OutcomeResult.SOLVED and outcome.minutes_spent == 75
    assert (outcome.confidence_before, outcome.confidence_after) == (2, 4)
    assert sorted(t.code for t in outcome.topics) == sorted([ITSME, TAX])
    assert outcome.recorded_by_id == volunteer.user.id and outcome.follow_up_needed is False
    db.session.refresh(request)
    db.session.refresh(session)
    assert session.status == SessionStatus.DONE
    assert request.status == RequestStatus.COMPLETED and request.result == "solved"
    assert request.feedback_token and len(request.feedback_token) >= 32
    # No e-mail address: the feedback link goes by SMS, in the resident's language.
    (sms,) = messages("feedback_invitation")
    assert sms.channel == MessageChannel.SMS and sms.recipient == "+32470112233" and sms.locale == "nl"
    assert f"/feedback/{request.feedback_token}" in sms.body


def test_feedback_invitation_goes_by_e_mail_in_the_residents_language_and_only_once(app, gent):
    request, session, volunteer = helped_request(gent, email="maria@example.org", locale="fr")
    services.record_outcome(
        session, actor=volunteer.user, result="partly_solved", topic_ids=[topic(ITSME).id], minutes_spent=30
    )
    (mail,) = messages("feedback_invitation")
    assert (
        mail.channel == MessageChannel.EMAIL and mail.recipient == "maria@example.org" and mail.locale == "fr"
    )
    assert request.feedback_token in mail.body
    # Reopened for a follow-up and completed again: the same link, no second message.
    token = request.feedback_token
    second = add_session(request, volunteer, hours_ago=1)
    request.status = RequestStatus.SCHEDULED
    db.session.commit()
    services.record_outcome(
        second, actor=volunteer.user, result="solved", topic_ids=[topic(ITSME).id], minutes_spent=20
    )
    assert request.status == RequestStatus.COMPLETED and request.feedback_token == token
    assert len(messages("feedback_invitation")) == 1


def test_no_message_when_the_resident_gave_no_phone_or_e_mail(app, gent):
    request, session, volunteer = helped_request(gent, phone=None)
    services.record_outcome(
        session, actor=volunteer.user, result="solved", topic_ids=[topic(ITSME).id], minutes_spent=30
    )
    assert request.status == RequestStatus.COMPLETED and request.feedback_token
    assert messages("feedback_invitation") == []


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"result": None}, "result", "Choose the result of the session."),
        ({"topics": []}, "topics", "Choose at least one topic you covered."),
        ({"minutes_spent": ""}, "minutes_spent", "Fill in how many minutes you spent."),
        ({"minutes_spent": "an hour"}, "minutes_spent", "Write a whole number, for example 45."),
        ({"minutes_spent": "0"}, "minutes_spent", "Fill in a number of minutes between 1 and 1440."),
        ({"minutes_spent": "2000"}, "minutes_spent", "Fill in a number of minutes between 1 and 1440."),
        ({"follow_up": None}, "follow_up", "Choose what happens next."),
        ({"confidence_before": "7"}, "confidence_before", "Not a valid choice"),
        ({"result": "referred"}, "referred_to", "Choose the organisation you referred the resident to."),
        (
            {"result": "referred", "referred_to": "other"},
            "referred_other",
            "Choose the organisation you referred the resident to.",
        ),
        (
            {"result": "referred", "referred_to": "other", "referred_other": "Bank, code 4821"},
            "referred_other",
            "Write only the name of the organisation, never codes or numbers.",
        ),
    ],
)
def test_outcome_form_validation(client, gent, overrides, field, message):
    request, session, volunteer = helped_request(gent)
    client.login(volunteer.user)
    response = client.submit(f"/sessions/{session.id}/outcome?lang=en", outcome_form(**overrides))
    page = text(response)
    assert response.status_code == 422
    # The summary links to the field, or to the first choice of a group (the GOV.UK pattern).
    assert (f'href="#{field}"' in page or f'href="#{field}-0"' in page) and message in page
    assert db.session.scalar(select(Outcome.id)) is None
    db.session.refresh(request)
    assert request.status == RequestStatus.SCHEDULED


def test_a_referral_stores_the_organisation(client, gent):
    request, session, volunteer = helped_request(gent)
    client.login(volunteer.user)
    client.submit(
        f"/sessions/{session.id}/outcome?lang=en",
        outcome_form(result="referred", referred_to="social_services"),
    )
    assert db.session.scalar(select(Outcome.referred_to)) == "social_services"
    page = text(client.get(f"/sessions/{session.id}/outcome?lang=en"))
    assert "Social services (OCMW / Sociaal Huis)" in page  # the recorded outcome, read back
    third = helped_request(gent)[1]
    client.logout()
    client.login(third.volunteer.user)
    client.submit(
        f"/sessions/{third.id}/outcome?lang=en",
        outcome_form(result="referred", referred_to="other", referred_other="Kom op tegen Kanker"),
    )
    assert (
        db.session.scalar(select(Outcome.referred_to).where(Outcome.session_id == third.id))
        == "Kom op tegen Kanker"
    )


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"result": None}, "result"),
        ({"result": "referred", "referred_to": "  "}, "referred_to"),
        ({"result": "referred", "referred_to": "PIN 1234"}, "referred_other"),
        ({"minutes_spent": None}, "minutes_spent"),
        ({"minutes_spent": 1441}, "minutes_spent"),
        ({"topic_ids": []}, "topics"),
        ({"confidence_after": 6}, "confidence_after"),
        ({"attendance": "cancelled"}, "attendance"),
        ({"attendance": "bogus"}, "attendance"),
    ],
)
def test_the_service_refuses_invalid_outcomes_with_a_message_on_the_field(app, gent, kwargs, field):
    _request, session, volunteer = helped_request(gent)
    values = {"result": "solved", "topic_ids": [topic(ITSME).id], "minutes_spent": 30}
    values.update(kwargs)
    with pytest.raises(DomainError) as error:
        services.record_outcome(session, actor=volunteer.user, **values)
    assert error.value.field == field and error.value.message


def test_an_outcome_is_only_recorded_once_and_only_after_the_session_started(client, gent):
    request, future, volunteer = helped_request(gent, hours_ago=-24)
    with force_locale("en"), pytest.raises(DomainError, match="has not started yet"):
        services.record_outcome(
            future, actor=volunteer.user, result="solved", topic_ids=[topic(ITSME).id], minutes_spent=30
        )
    past = add_session(request, volunteer, hours_ago=30)
    client.login(volunteer.user)
    response = client.submit(f"/sessions/{future.id}/outcome?lang=en", outcome_form())
    assert response.status_code == 422 and "This session has not started yet." in text(response)
    # The other planned (future) session keeps the request open: "handled" is refused, a follow-up is fine.
    response = client.submit(f"/sessions/{past.id}/outcome?lang=en", outcome_form())
    assert response.status_code == 422 and "Another session is still planned for this request." in text(
        response
    )
    assert (
        client.submit(f"/sessions/{past.id}/outcome?lang=en", outcome_form(follow_up="yes")).status_code
        == 302
    )
    db.session.refresh(request)
    assert request.status == RequestStatus.SCHEDULED  # the next session is already planned
    page = text(client.get(f"/sessions/{past.id}/outcome?lang=en"))
    assert "Outcome of the session" in page and "<form" not in page.split("<main")[1]
    with force_locale("en"), pytest.raises(DomainError, match="already recorded"):
        services.record_outcome(
            past, actor=volunteer.user, result="solved", topic_ids=[topic(ITSME).id], minutes_spent=30
        )


def test_follow_up_reopens_the_request_so_a_new_session_can_be_planned(client, gent):
    request, session, volunteer = helped_request(gent)
    client.login(volunteer.user)
    assert (
        client.submit(
            f"/sessions/{session.id}/outcome?lang=en", outcome_form(result="partly_solved", follow_up="yes")
        ).status_code
        == 302
    )
    db.session.refresh(request)
    assert request.status == RequestStatus.MATCHED and request.feedback_token is None
    outcome = db.session.scalar(select(Outcome))
    assert outcome.follow_up_needed is True
    event = db.session.scalars(
        select(RequestEvent).where(
            RequestEvent.request_id == request.id, RequestEvent.to_status == RequestStatus.MATCHED
        )
    ).all()[-1]
    assert event.from_status == RequestStatus.SCHEDULED and event.actor_id == volunteer.user.id
    # A new session can be planned now (the scheduling service accepts a MATCHED request).
    from digibuddy.scheduling.services import PLANNABLE

    assert request.status in PLANNABLE


def test_follow_up_also_reopens_a_completed_request(app, gent):
    request, session, volunteer = helped_request(gent, status=RequestStatus.COMPLETED)
    services.record_outcome(
        session,
        actor=volunteer.user,
        result="not_solved",
        topic_ids=[topic(ITSME).id],
        minutes_spent=45,
        follow_up_needed=True,
    )
    assert request.status == RequestStatus.MATCHED


@pytest.mark.parametrize("attendance", ["resident_no_show", "volunteer_no_show"])
def test_a_session_that_did_not_take_place_needs_no_outcome_and_frees_the_request(client, gent, attendance):
    request, session, volunteer = helped_request(gent)
    client.login(volunteer.user)
    response = client.submit(
        f"/sessions/{session.id}/outcome?lang=en",
        {"attendance": attendance, "minutes_spent": "", "topics": []},
    )
    assert response.status_code == 302
    db.session.refresh(session)
    db.session.refresh(request)
    assert session.status == SessionStatus(attendance) and session.outcome is None
    assert request.status == RequestStatus.MATCHED
    assert db.session.scalar(select(Outcome.id)) is None


def test_only_the_sessions_volunteer_or_a_coordinator_of_its_network_may_record(client, make_client, gent):
    request, session, volunteer = helped_request(gent)
    other_network = NetworkFactory(postcodes=["2000"])
    url = f"/sessions/{session.id}/outcome?lang=en"
    for outsider in (
        helped_request(gent)[2].user,
        make_user(Role.COORDINATOR, other_network),
        make_user(Role.COUNTER, gent),
    ):
        other = make_client()
        other.login(outsider)
        assert other.get(url).status_code == 404
        assert other.post(url, data=outcome_form()).status_code in (400, 404)
    assert client.get("/sessions/abc/outcome").status_code in (302, 404)
    coordinator = make_client()
    coordinator.login(make_user(Role.COORDINATOR, gent))
    assert coordinator.submit(url, outcome_form()).status_code == 302
    outcome = db.session.scalar(select(Outcome))
    assert outcome.recorded_by_id != volunteer.user.id


def test_volunteers_see_their_own_sessions_waiting_for_an_outcome(client, gent):
    _request, session, volunteer = helped_request(gent)
    _other_request, other_session, _other = helped_request(gent)
    client.login(volunteer.user)
    page = text(client.get("/outcomes?lang=en"))
    assert f"/sessions/{session.id}/outcome" in page and f"/sessions/{other_session.id}/outcome" not in page


def test_coordinator_closes_a_request_as_unresolved_or_completed(client, gent):
    coordinator = make_user(Role.COORDINATOR, gent)
    client.login(coordinator)
    request, session, volunteer = helped_request(gent, status=RequestStatus.MATCHED)
    url = f"/requests/{request.id}/close"
    form_url = f"/requests/{request.id}/outcomes?lang=en"
    response = client.submit(
        url + "?lang=en", {"closing": "unresolved", "note": "Bewoner wil niet verder"}, form_url=form_url
    )
    assert response.status_code == 422
    assert "A session is still planned for this request." in text(response)
    session.status = SessionStatus.CANCELLED
    db.session.commit()
    assert (
        client.submit(
            url, {"closing": "unresolved", "note": "Bewoner wil niet verder"}, form_url=form_url
        ).status_code
        == 302
    )
    db.session.refresh(request)
    assert request.status == RequestStatus.UNRESOLVED and request.result == "not_solved"
    assert request.events[-1].note == "Bewoner wil niet verder" and request.feedback_token is None

    second, second_session, _v = helped_request(gent, status=RequestStatus.MATCHED)
    second_session.status = SessionStatus.DONE
    db.session.commit()
    response = client.submit(
        f"/requests/{second.id}/close?lang=en",
        {"closing": "completed"},
        form_url=f"/requests/{second.id}/outcomes?lang=en",
    )
    assert response.status_code == 422 and "Choose the final result." in text(response)
    assert (
        client.submit(
            f"/requests/{second.id}/close",
            {"closing": "completed", "result": "referred"},
            form_url=f"/requests/{second.id}/outcomes?lang=en",
        ).status_code
        == 302
    )
    db.session.refresh(second)
    assert second.status == RequestStatus.COMPLETED and second.result == "referred" and second.feedback_token
    assert len(messages("feedback_invitation")) == 1


def test_closing_is_for_coordinators_of_the_network_only(client, make_client, gent):
    request, _session, _volunteer = helped_request(gent, status=RequestStatus.MATCHED)
    counter = make_client()
    counter.login(make_user(Role.COUNTER, gent))
    response = counter.submit(
        f"/requests/{request.id}/close",
        {"closing": "unresolved"},
        form_url=f"/requests/{request.id}/outcomes",
    )
    assert response.status_code == 403
    stranger = make_client()
    stranger.login(make_user(Role.COORDINATOR, NetworkFactory(postcodes=["2000"])))
    assert stranger.get(f"/requests/{request.id}/outcomes").status_code == 404
    with pytest.raises(DomainError):
        services.close_request(request, actor=None, result=None)
    request.status = RequestStatus.COMPLETED
    db.session.commit()
    with pytest.raises(DomainError):
        services.close_request(request, actor=None, result=None, unresolved=True)


@pytest.mark.parametrize(
    "current, took_place, follow_up, other_planned, expected",
    [
        ("scheduled", True, False, False, ("completed", None)),
        ("matched", True, False, False, ("completed", None)),
        ("scheduled", True, True, False, ("matched", None)),
        ("scheduled", True, True, True, (None, None)),
        ("completed", True, True, False, ("matched", None)),
        ("scheduled", False, False, False, ("matched", None)),
        ("scheduled", True, False, True, (None, STILL_PLANNED)),
        ("completed", True, False, False, (None, None)),
        ("unresolved", True, True, False, (None, "request_closed")),
    ],
)
def test_status_after_outcome_rules(current, took_place, follow_up, other_planned, expected):
    target, problem = status_after_outcome(
        RequestStatus(current), took_place=took_place, follow_up=follow_up, other_planned=other_planned
    )
    assert (target.value if target else None, problem) == expected
