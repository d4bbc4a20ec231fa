"""Cover for an open drop-in shift: who is asked, the message with its link, the first to sign up fills
the place and the others see it is taken; one winner when several sign up at the same instant."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from digibuddy.accounts.models import Role
from digibuddy.audit.models import AuditEntry
from digibuddy.core.exceptions import DomainError
from digibuddy.extensions import db
from digibuddy.notifications.models import MessageChannel, OutboxMessage
from digibuddy.outreach import services
from digibuddy.outreach.models import LetterKind, VolunteerMessage
from digibuddy.reference.models import Language
from digibuddy.scheduling.models import DropInMoment, DropInShift
from digibuddy.volunteers.models import LanguageLevel, VolunteerProfile, VolunteerStatus
from tests.conftest import text
from tests.dropins_helpers import add_shift, make_moment, next_date, today
from tests.factories import NetworkFactory, make_user, make_volunteer

NL, AR = ("nl", LanguageLevel.NATIVE), ("ar", LanguageLevel.FLUENT)


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])


@pytest.fixture
def coordinator(gent):
    return make_user(Role.COORDINATOR, gent, locale="en")


def helper(network, name, *, locale="en", phone=None, **kwargs) -> VolunteerProfile:
    profile = make_volunteer(network, **kwargs)
    profile.user.name, profile.user.locale, profile.user.phone = name, locale, phone
    db.session.commit()
    return profile


def shifts(moment, day) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(DropInShift)
        .where(DropInShift.moment_id == moment.id, DropInShift.on_date == day)
    )


def cover_url(moment, day, suffix="cover") -> str:
    return f"/dropins/{moment.id}/{day.isoformat()}/{suffix}"


def test_the_digibuddies_who_could_take_it_are_asked(gent):
    moment = make_moment(gent, needed=2, title="Digicafé")
    moment.languages = [db.session.get(Language, "ar")]
    db.session.commit()
    day = next_date(moment)
    on_it = helper(gent, "On it", languages=(AR,))
    add_shift(moment, day, on_it)
    helper(gent, "Amal", languages=(NL, AR))
    helper(gent, "Bart", languages=(NL,))  # does not speak the moment's language
    helper(gent, "Suspended", languages=(AR,), status=VolunteerStatus.SUSPENDED)
    helper(gent, "Paused", languages=(AR,), status=VolunteerStatus.PAUSED)
    helper(NetworkFactory(postcodes=["2800"]), "Elsewhere", languages=(AR,))
    assert [v.user.name for v in services.cover_candidates(moment, day)] == ["Amal"]
    moment.languages = []
    db.session.commit()
    assert [v.user.name for v in services.cover_candidates(moment, day)] == ["Amal", "Bart"]


def test_cover_is_asked_only_for_a_coming_date_that_lacks_digibuddies(gent, coordinator, english):
    moment = make_moment(gent, needed=1)
    day = next_date(moment)
    add_shift(moment, day, helper(gent, "Full"))
    helper(gent, "Amal")
    with pytest.raises(DomainError, match="This date has enough digibuddies."):
        services.ask_cover(moment, day, coordinator, ["email"])
    with pytest.raises(DomainError, match="This date has already passed."):
        services.ask_cover(moment, today() - timedelta(days=7), coordinator, ["email"])
    with pytest.raises(DomainError, match="There is no drop-in on this date."):
        services.ask_cover(moment, day + timedelta(days=1), coordinator, ["email"])
    with pytest.raises(DomainError, match="Choose e-mail, SMS or both."):
        services.ask_cover(moment, day, coordinator, [])


def test_asking_for_cover_writes_to_each_candidate_with_the_link_and_keeps_the_message(
    client, gent, coordinator
):
    moment = make_moment(gent, needed=1, title="Digicafé")
    day = next_date(moment)
    amal = helper(gent, "Amal", phone="+32470112233")
    bart = helper(gent, "Bart", locale="nl")
    client.login(coordinator)
    page = text(client.get(cover_url(moment, day, "ask-cover")))
    assert "Ask for cover" in page and "Digicafé" in page
    assert f'href="/dropins/{moment.id}/{day.isoformat()}/ask-cover"' in text(client.get("/dropins"))

    response = client.submit(
        cover_url(moment, day, "ask-cover"), {"channels": ["email", "sms"], "note": "Koffie staat klaar."}
    )
    assert response.status_code == 302, text(response)[:3000]
    letter = db.session.scalar(select(VolunteerMessage))
    assert (letter.kind, letter.moment_id, letter.on_date) == (LetterKind.COVER, moment.id, day)
    outbox = {(m.recipient, m.channel): m for m in db.session.scalars(select(OutboxMessage))}
    assert set(outbox) == {
        (amal.user.email, MessageChannel.EMAIL),
        ("+32470112233", MessageChannel.SMS),
        (bart.user.email, MessageChannel.EMAIL),
    }
    link = f"/dropins/{moment.id}/{day.isoformat()}/cover"
    for message in outbox.values():
        assert link in message.body and message.kind == "volunteer_cover"
    english = outbox[(amal.user.email, MessageChannel.EMAIL)]
    assert "still needs 1 digibuddy" in english.body and "Koffie staat klaar." in english.body
    assert english.subject.startswith("Can you help at the drop-in of")
    assert outbox[(bart.user.email, MessageChannel.EMAIL)].locale == "nl"
    assert db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "send", AuditEntry.object_id == letter.id)
    )
    detail = text(client.get(f"/volunteer-messages/{letter.id}"))
    assert "Cover needed: Digicafé" in detail and "Amal" in detail and "Bart" in detail


def test_the_first_to_sign_up_fills_the_place_and_the_others_see_it_is_taken(make_client, gent, coordinator):
    moment = make_moment(gent, needed=1)
    day = next_date(moment)
    amal, bart = helper(gent, "Amal"), helper(gent, "Bart")
    services.ask_cover(moment, day, coordinator, ["email"])
    first, second = make_client(), make_client()
    first.login(amal.user)
    second.login(bart.user)
    assert "1 place is still open." in text(second.get(cover_url(moment, day)))

    response = first.submit(cover_url(moment, day), {})
    assert response.status_code == 302
    assert "You are signed up. Thank you!" in text(first.get(cover_url(moment, day)))

    page = text(second.get(cover_url(moment, day)))
    assert "Already taken: someone else has signed up." in page and "I take this shift" not in page
    late = second.submit(cover_url(moment, day), {}, form_url="/dropins/shifts")
    assert late.status_code == 409
    assert "Someone else has already taken this shift. Thank you for wanting to help!" in text(late)
    assert shifts(moment, day) == 1


def test_a_digibuddy_of_another_network_gets_404_on_the_cover_pages(make_client, gent, coordinator):
    moment = make_moment(gent, needed=1)
    day = next_date(moment)
    mechelen = NetworkFactory(postcodes=["2800"])
    stranger, other_coordinator = make_client(), make_client()
    stranger.login(helper(mechelen, "Bram").user)
    other_coordinator.login(make_user(Role.COORDINATOR, mechelen))
    assert stranger.get(cover_url(moment, day)).status_code == 404
    assert other_coordinator.get(cover_url(moment, day, "ask-cover")).status_code == 404
    token = other_coordinator.csrf_token("/volunteer-messages/new")
    assert (
        other_coordinator.post(cover_url(moment, day, "ask-cover"), data={"csrf_token": token}).status_code
        == 404
    )
    assert stranger.get(f"/dropins/{moment.id}/not-a-date/cover").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(VolunteerMessage)) == 0


def test_several_digibuddies_signing_up_at_the_same_instant_give_one_winner(app, gent):
    moment = make_moment(gent, needed=2)
    day = next_date(moment)
    add_shift(moment, day, helper(gent, "Already there"))
    racers = [helper(gent, f"Racer {n}").id for n in range(5)]
    moment_id = moment.id
    db.session.remove()
    barrier = threading.Barrier(len(racers))
    outcomes = [None] * len(racers)

    def take(index):
        with app.test_request_context("/"):
            try:
                target = db.session.get(DropInMoment, moment_id)
                profile = db.session.get(VolunteerProfile, racers[index])
                barrier.wait()
                services.take_cover(target, day, profile)
                outcomes[index] = "won"
            except DomainError:
                outcomes[index] = "taken"
            except Exception as error:  # pragma: no cover - shown in the assertion
                outcomes[index] = f"error: {error!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=take, args=(i,)) for i in range(len(racers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["taken"] * (len(racers) - 1) + ["won"], outcomes
    assert shifts(db.session.get(DropInMoment, moment_id), day) == 2
