"""Messages from coordinators to digibuddies: the group (each filter, and together), who can be reached
before sending, the language each digibuddy gets, the outbox, the kept recipients, scoping and errors."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from digibuddy.accounts.models import Role
from digibuddy.audit.models import AuditEntry
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.notifications.models import MessageChannel, OutboxMessage
from digibuddy.outreach.audience import Audience, find_volunteers, inactive_cutoff
from digibuddy.outreach.models import VolunteerMessage, VolunteerMessageRecipient
from digibuddy.reference.models import Topic
from digibuddy.scheduling.models import DropInShift, SessionStatus
from digibuddy.volunteers.models import LanguageLevel, VolunteerStatus
from tests.conftest import text
from tests.dropins_helpers import add_shift, make_moment, next_date, today
from tests.factories import NetworkFactory, make_admin, make_user, make_volunteer
from tests.matching_helpers import make_request
from tests.outcomes_helpers import add_session

NL, AR, FR = ("nl", LanguageLevel.NATIVE), ("ar", LanguageLevel.NATIVE), ("fr", LanguageLevel.FLUENT)
TAX, ITSME = "gov-tax-on-web", "itsme-install"


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])


@pytest.fixture
def coordinator(gent):
    return make_user(Role.COORDINATOR, gent, locale="en", name="Lies Coördinator")


def volunteer(network, name, *, locale="nl", phone=None, email=True, months=6, **kwargs):
    profile = make_volunteer(network, **kwargs)
    profile.user.name, profile.user.locale, profile.user.phone = name, locale, phone
    if not email:
        profile.user.email = ""
    profile.created_at = utcnow() - timedelta(days=31 * months)
    db.session.commit()
    return profile


def names(found) -> list[str]:
    return sorted(v.user.name for v in found)


def topic(code) -> Topic:
    return db.session.scalar(select(Topic).where(Topic.code == code))


def message_form(**overrides) -> dict:
    data = {
        "subject_nl": "Nieuwe vorming",
        "body_nl": "Dag allemaal,\nop 12 januari is er een vorming.",
        "channels": ["email"],
        "action": "preview",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# ---------------------------------------------------------------------------------------------------------
# The group


def test_everyone_is_every_active_digibuddy_of_the_network_whose_account_works(gent):
    ana = volunteer(gent, "Ana")
    volunteer(gent, "Paused", status=VolunteerStatus.PAUSED)
    volunteer(gent, "Suspended", status=VolunteerStatus.SUSPENDED)
    volunteer(gent, "Applied", status=VolunteerStatus.APPLIED)
    off = volunteer(gent, "Switched off")
    off.user.active = False
    db.session.commit()
    volunteer(NetworkFactory(postcodes=["2800"]), "Elsewhere")
    assert names(find_volunteers(gent.id, Audience(), today())) == [ana.user.name]


def test_each_filter_narrows_and_filters_combine(gent):
    volunteer(gent, "Amal", languages=(NL, AR), topics=(TAX,), offers_phone=True)
    volunteer(gent, "Bart", languages=(NL,), topics=(TAX, ITSME), offers_home_visits=True)
    volunteer(gent, "Chloé", languages=(FR,), topics=(ITSME,), offers_location=False, offers_video=True)
    moment = make_moment(gent)
    dina = volunteer(gent, "Dina", languages=(NL,))
    add_shift(moment, today() - timedelta(days=7), dina)

    def found(**criteria):
        return names(find_volunteers(gent.id, Audience(**criteria), today()))

    assert found(languages=("ar",)) == ["Amal"]
    assert found(languages=("ar", "fr")) == ["Amal", "Chloé"]  # any of the languages
    assert found(topic_ids=(topic(ITSME).id,)) == ["Bart", "Chloé"]
    assert found(modes=("phone",)) == ["Amal"]
    assert found(modes=("home", "video")) == ["Bart", "Chloé"]
    assert found(modes=("location",)) == ["Amal", "Bart", "Dina"]
    assert found(moment_id=moment.id) == ["Dina"]
    # Each criterion narrows the group: a Dutch speaker who knows itsme.
    assert found(languages=("nl",), topic_ids=(topic(ITSME).id,)) == ["Bart"]
    assert found(languages=("nl",), moment_id=moment.id, modes=("phone",)) == []


def _months_ago(months, days=0) -> datetime:
    return utcnow() - timedelta(days=31 * months + days)


def test_no_activity_for_three_months_is_no_accepted_offer_session_or_shift_since_the_cut_off(gent):
    idle = volunteer(gent, "Idle")
    new = volunteer(gent, "New", months=1)  # a digibuddy for one month only: not "three months idle"
    offered = volunteer(gent, "Accepted lately")
    declined = volunteer(gent, "Declined lately")
    helped = volunteer(gent, "Session lately")
    cancelled = volunteer(gent, "Cancelled session")
    planned = volunteer(gent, "Session to come")
    shift = volunteer(gent, "Shift lately")
    old_shift = volunteer(gent, "Old shift")
    old_offer = volunteer(gent, "Old offer")

    def offer(profile, status, responded):
        request = make_request(gent, languages=("nl",))
        db.session.add(
            Offer(request_id=request.id, volunteer_id=profile.id, status=status, responded_at=responded)
        )
        db.session.commit()
        return request

    offer(offered, OfferStatus.ACCEPTED, _months_ago(2))
    offer(declined, OfferStatus.DECLINED, _months_ago(0, 5))
    offer(old_offer, OfferStatus.ACCEPTED, _months_ago(4))
    add_session(make_request(gent, languages=("nl",)), helped, hours_ago=24 * 60, status=SessionStatus.DONE)
    add_session(
        make_request(gent, languages=("nl",)), cancelled, hours_ago=24 * 10, status=SessionStatus.CANCELLED
    )
    add_session(make_request(gent, languages=("nl",)), planned, hours_ago=-48)
    moment = make_moment(gent)
    add_shift(moment, today() - timedelta(days=40), shift)
    add_shift(moment, today() - timedelta(days=200), old_shift)

    inactive = names(find_volunteers(gent.id, Audience(inactive=True), today()))
    assert inactive == sorted(["Idle", "Declined lately", "Cancelled session", "Old shift", "Old offer"])
    assert new.user.name not in inactive and idle.user.name in inactive


def test_the_cut_off_is_three_calendar_months_back():
    assert inactive_cutoff(date(2026, 12, 2)) == date(2026, 9, 2)
    assert inactive_cutoff(date(2026, 5, 31)) == date(2026, 2, 28)


def test_a_shift_on_the_cut_off_day_counts_as_activity_and_the_day_before_does_not(gent):
    moment = make_moment(gent)
    on_day, day_before = volunteer(gent, "On the day"), volunteer(gent, "Day before")
    cutoff = inactive_cutoff(today())
    db.session.add_all(
        [
            DropInShift(moment_id=moment.id, on_date=cutoff, volunteer_id=on_day.id),
            DropInShift(moment_id=moment.id, on_date=cutoff - timedelta(days=1), volunteer_id=day_before.id),
        ]
    )
    db.session.commit()
    assert names(find_volunteers(gent.id, Audience(inactive=True), today())) == ["Day before"]


# ---------------------------------------------------------------------------------------------------------
# Preview, sending, language, outbox, recipients


def test_the_preview_counts_who_gets_it_on_each_channel_and_sends_nothing(client, gent, coordinator):
    volunteer(gent, "Amal", phone="+32470112233")
    volunteer(gent, "Bart")  # e-mail only
    volunteer(gent, "Carine", phone="+3292101010", email=False)  # a landline: no SMS, no e-mail
    client.login(coordinator)
    response = client.submit("/volunteer-messages/new", message_form(channels=["email", "sms"]))
    page = text(response)
    assert response.status_code == 200, page[:3000]
    assert "3 digibuddies fit this choice" in page
    assert "E-mail: 2 digibuddies get it" in page
    assert "Text message: 1 digibuddy gets it" in page
    assert "1 digibuddy cannot be reached this way" in page
    assert "<li>Carine</li>" in page
    assert "Send to 2 digibuddies" in page
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(VolunteerMessage)) == 0


def test_sending_queues_each_channel_in_the_digibuddys_language_and_keeps_the_recipients(
    client, gent, coordinator
):
    amal = volunteer(gent, "Amal", locale="fr", phone="+32470112233")
    bart = volunteer(gent, "Bart", locale="en")  # no English text: gets Dutch
    carine = volunteer(gent, "Carine", email=False)
    client.login(coordinator)
    response = client.submit(
        "/volunteer-messages/new",
        message_form(
            channels=["email", "sms"],
            subject_fr="Nouvelle formation",
            body_fr="Bonjour à tous,\nune formation le 12 janvier.",
            action="send",
        ),
    )
    assert response.status_code == 302, text(response)[:3000]
    letter = db.session.scalar(select(VolunteerMessage))
    assert response.headers["Location"].endswith(f"/volunteer-messages/{letter.id}")
    assert letter.subjects == {"nl": "Nieuwe vorming", "fr": "Nouvelle formation"}
    assert (letter.by_email, letter.by_sms, letter.network_id) == (True, True, gent.id)

    outbox = {(m.recipient, m.channel): m for m in db.session.scalars(select(OutboxMessage))}
    assert set(outbox) == {
        (amal.user.email, MessageChannel.EMAIL),
        ("+32470112233", MessageChannel.SMS),
        (bart.user.email, MessageChannel.EMAIL),
    }
    french = outbox[(amal.user.email, MessageChannel.EMAIL)]
    assert french.subject == "Nouvelle formation" and french.locale == "fr"
    assert "Bonjour Amal," in french.body and "une formation le 12 janvier." in french.body
    assert "Digibuddy Gent" in french.body and "Lies Coördinator" in french.body
    sms = outbox[("+32470112233", MessageChannel.SMS)]
    assert sms.body == "Digibuddy Gent: Bonjour à tous, une formation le 12 janvier."
    dutch = outbox[(bart.user.email, MessageChannel.EMAIL)]
    assert (dutch.subject, dutch.locale) == ("Nieuwe vorming", "nl")
    assert "Hallo Bart," in dutch.body and "op 12 januari is er een vorming." in dutch.body
    assert {m.network_id for m in outbox.values()} == {gent.id}

    kept = {
        (r.volunteer_id, r.channel): r
        for r in db.session.scalars(
            select(VolunteerMessageRecipient).where(VolunteerMessageRecipient.message_id == letter.id)
        )
    }
    assert kept[(amal.id, MessageChannel.SMS)].outbox_message_id == sms.id
    assert kept[(bart.id, MessageChannel.EMAIL)].outbox_message_id == dutch.id
    assert kept[(bart.id, MessageChannel.SMS)].outbox_message_id is None  # no phone number
    assert kept[(carine.id, MessageChannel.EMAIL)].outbox_message_id is None
    assert len(kept) == 6

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "send"))
    assert (entry.object_type, entry.object_id, entry.network_id, entry.user_id) == (
        "volunteer_message",
        letter.id,
        gent.id,
        coordinator.id,
    )

    page = text(client.get(f"/volunteer-messages/{letter.id}"))
    assert "Nieuwe vorming" in page and "Nouvelle formation" in page
    assert "2 of 3 digibuddies" in page
    assert "Not sent: no mobile number" in page and "Not sent: no e-mail address" in page
    assert page.count("Waiting to be sent") == 3
    assert f'href="/outbox/{sms.id}"' in page
    listing = text(client.get("/volunteer-messages"))
    assert f'href="/volunteer-messages/{letter.id}"' in listing


def test_the_detail_page_shows_the_delivery_status_from_the_outbox(client, gent, coordinator):
    volunteer(gent, "Amal")
    client.login(coordinator)
    client.submit("/volunteer-messages/new", message_form(action="send"))
    letter = db.session.scalar(select(VolunteerMessage))
    message = db.session.scalar(select(OutboxMessage))
    message.status, message.sent_at = "sent", utcnow()
    db.session.commit()
    assert "Sent</a>" in text(client.get(f"/volunteer-messages/{letter.id}"))


def test_a_shift_team_and_filters_are_sent_to_that_group_only(client, gent, coordinator):
    moment = make_moment(gent, title="Digicafé")
    team = volunteer(gent, "Team", languages=(NL, AR))
    volunteer(gent, "Other", languages=(AR,))
    add_shift(moment, next_date(moment), team)
    client.login(coordinator)
    response = client.submit(
        "/volunteer-messages/new",
        message_form(moment_id=moment.id, languages=["ar"], action="send"),
    )
    assert response.status_code == 302, text(response)[:3000]
    assert list(db.session.scalars(select(OutboxMessage.recipient))) == [team.user.email]
    letter = db.session.scalar(select(VolunteerMessage))
    assert letter.audience["moment_id"] == moment.id and letter.audience["languages"] == ["ar"]
    page = text(client.get(f"/volunteer-messages/{letter.id}"))
    assert "Digicafé" in page and "Arabic" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"subject_nl": ""}, "subject_nl", "Write a subject."),
        ({"body_nl": "  "}, "body_nl", "Write the message."),
        ({"subject_fr": "Formation"}, "body_fr", "Write the message."),
        ({"body_en": "Hello all"}, "subject_en", "Write a subject."),
        ({"channels": None}, "channels", "Choose e-mail, SMS or both."),
        ({"subject_nl": "x" * 151}, "subject_nl", "Keep the subject under 150 characters."),
        ({"languages": ["xx"]}, "languages", "Not a valid choice"),
        ({"moment_id": "999999"}, "moment_id", "Not a valid choice"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_typed_is_lost(
    client, gent, coordinator, overrides, field, message
):
    volunteer(gent, "Amal")
    client.login(coordinator)
    for action in ("preview", "send"):
        response = client.submit("/volunteer-messages/new", message_form(action=action, **overrides))
        page = text(response)
        assert response.status_code == 422, page[:2000]
        assert message.lower() in page.lower()
        assert f'id="{field}-error"' in page
        assert "op 12 januari is er een vorming." in page or overrides.get("body_nl")
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(VolunteerMessage)) == 0


def test_a_group_nobody_fits_is_said_and_nothing_is_sent(client, gent, coordinator):
    volunteer(gent, "Amal", languages=(NL,), offers_phone=False)
    client.login(coordinator)
    for action in ("preview", "send"):
        response = client.submit("/volunteer-messages/new", message_form(modes=["phone"], action=action))
        assert response.status_code == 422
        assert "No digibuddy fits this choice. Choose fewer filters." in text(response)
    assert db.session.scalar(select(func.count()).select_from(VolunteerMessage)) == 0


# ---------------------------------------------------------------------------------------------------------
# Scoping


def test_a_coordinator_of_another_network_gets_404_and_cannot_write_to_its_digibuddies(
    client, make_client, gent, coordinator
):
    volunteer(gent, "Amal")
    client.login(coordinator)
    client.submit("/volunteer-messages/new", message_form(action="send"))
    letter = db.session.scalar(select(VolunteerMessage))

    mechelen = NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"])
    other = make_user(Role.COORDINATOR, mechelen, locale="en")
    make_moment(mechelen, title="Their moment")
    volunteer(mechelen, "Bram")
    stranger = make_client()
    stranger.login(other)
    assert stranger.get(f"/volunteer-messages/{letter.id}").status_code == 404
    assert "Nieuwe vorming" not in text(stranger.get("/volunteer-messages"))
    ours = make_moment(gent, title="Our moment")
    page = text(stranger.get("/volunteer-messages/new"))
    assert "Their moment" in page and "Our moment" not in page and "Bram" not in page
    response = stranger.submit("/volunteer-messages/new", message_form(moment_id=ours.id, action="send"))
    assert response.status_code == 422
    response = stranger.submit("/volunteer-messages/new", message_form(network_id=gent.id, action="send"))
    assert response.status_code == 422  # a network of someone else is never chosen
    assert db.session.scalar(select(func.count()).select_from(VolunteerMessage)) == 1
    response = stranger.submit("/volunteer-messages/new", message_form(action="send"))
    assert response.status_code == 302
    sent = db.session.scalars(select(VolunteerMessage).order_by(VolunteerMessage.id)).all()[-1]
    assert sent.network_id == mechelen.id
    assert [r.volunteer.user.name for r in sent.recipients] == ["Bram"]


def test_volunteers_and_counter_staff_cannot_open_the_messages(client, gent):
    profile = volunteer(gent, "Amal")
    client.login(profile.user)
    assert client.get("/volunteer-messages").status_code == 403
    assert client.get("/volunteer-messages/new").status_code == 403


def test_the_central_administrator_writes_to_the_network_they_choose(client, gent):
    mechelen = NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"])
    volunteer(gent, "Amal")
    bram = volunteer(mechelen, "Bram")
    client.login(make_admin(locale="en"))
    response = client.submit("/volunteer-messages/new", message_form(action="send"))
    assert response.status_code == 422 and "Choose a local network." in text(response)
    response = client.submit("/volunteer-messages/new", message_form(network_id=mechelen.id, action="send"))
    assert response.status_code == 302, text(response)[:2000]
    assert list(db.session.scalars(select(OutboxMessage.recipient))) == [bram.user.email]
    letter = db.session.scalar(select(VolunteerMessage))
    assert client.get(f"/volunteer-messages/{letter.id}").status_code == 200


def test_the_coordinator_home_and_menu_link_to_the_messages(client, coordinator):
    client.login(coordinator)
    page = text(client.get("/home"))
    assert 'href="/volunteer-messages/new"' in page and 'href="/volunteer-messages"' in page


@pytest.mark.parametrize(
    "overrides",
    [
        {"network_id": "abc"},
        {"network_id": "99999999999"},
        {"moment_id": "-1"},
        {"moment_id": "99999999999"},
        {"topics": ["x"]},
        {"topics": ["99999999999"]},
        {"channels": ["fax"]},
        {"modes": ["teleport"]},
        {"inactive": "maybe"},
        {"subject_nl": "Vorming\x00", "body_nl": "Tekst\x00 met NUL"},
    ],
)
def test_edited_form_values_never_give_a_server_error(client, gent, coordinator, overrides):
    volunteer(gent, "Amal")
    client.login(coordinator)
    response = client.submit("/volunteer-messages/new", message_form(action="send", **overrides))
    assert response.status_code in (302, 422), text(response)[:2000]
    for sent in db.session.scalars(select(OutboxMessage)):
        assert "\x00" not in sent.body and sent.channel == MessageChannel.EMAIL
