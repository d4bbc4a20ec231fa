"""Access ends when a role ends: a suspended digibuddy (or one who left) gives back their work and can no
longer log in; coordinators switch off or remove counter staff, the central administrator coordinators;
every session of a user ends when they log out or lose access, also a copied cookie."""

from datetime import timedelta

from sqlalchemy import select

from digibuddy.accounts.models import Membership, Role, User
from digibuddy.core.time import local_today
from digibuddy.extensions import db
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.notifications.models import OutboxMessage
from digibuddy.requests.models import HelpMode, RequestEvent, RequestStatus
from digibuddy.scheduling.models import DropInShift, SessionStatus
from digibuddy.volunteers.models import VolunteerStatus
from tests.conftest import text
from tests.factories import NetworkFactory, make_admin, make_user
from tests.matching_helpers import helper, make_request
from tests.outcomes_helpers import helped_request
from tests.scheduling_helpers import open_location
from tests.volunteers_helpers import make_shift


def _cookie(client) -> str:
    return client.raw.get_cookie("session").value


def _with_cookie(make_client, value):
    other = make_client()
    other.raw.set_cookie("session", value)
    return other


def test_a_copied_session_cookie_stops_working_after_logging_out(client, make_client):
    user = make_user(Role.COUNTER, NetworkFactory())
    client.login(user)
    copy = _with_cookie(make_client, _cookie(client))
    assert copy.get("/home").status_code == 200  # the copy works while the session lives
    client.logout()
    assert copy.get("/home").status_code == 302
    assert "/login" in copy.get("/home").headers["Location"]
    client.login(user)  # logging in again starts a new session that works
    assert client.get("/home").status_code == 200
    assert copy.get("/home").status_code == 302


def test_a_session_from_before_the_generation_moved_on_is_refused(client):
    user = make_user(Role.COUNTER, NetworkFactory())
    client.login(user)
    user.end_sessions()
    db.session.commit()
    assert client.get("/home").status_code == 302


def _suspend(client, volunteer, reason="Gedragscode niet nageleefd", status="suspended"):
    return client.submit(
        f"/volunteers/manage/{volunteer.id}/status?lang=en",
        {"status": status, "reason": reason},
        form_url=f"/volunteers/manage/{volunteer.id}",
    )


def test_suspending_a_digibuddy_ends_their_access_and_gives_their_work_back(client, make_client):
    network = NetworkFactory(postcodes=["9000"], phone="09 210 10 10")
    coordinator = make_user(Role.COORDINATOR, network, locale="en")
    open_location(network)
    leaving = helper(network)
    other = helper(network)  # fits the same requests: the work passes on to them
    accepted, session, _ = helped_request(
        network, volunteer=leaving, hours_ago=-50, email="maria@example.org", locale="en"
    )
    offered = make_request(network, mode=HelpMode.HOME)
    offered.status = RequestStatus.OFFERED
    db.session.add(Offer(request_id=offered.id, volunteer_id=leaving.id, status=OfferStatus.PENDING, round=1))
    db.session.commit()

    volunteer_client = make_client()
    volunteer_client.login(leaving.user)
    client.login(coordinator)
    response = _suspend(client, leaving)
    assert response.status_code == 302, text(response)[:2000]

    # Logged out at once, and the log-in says why.
    assert volunteer_client.get("/home").status_code == 302
    refused = volunteer_client.submit(
        "/login?lang=en", {"email": leaving.user.email, "password": "password-123456"}, form_url="/login"
    )
    assert refused.status_code == 200
    assert "Your access as a digibuddy has ended" in text(refused)

    # The pending offer is withdrawn and the request offered to the other digibuddy.
    db.session.expire_all()
    offers = {
        o.volunteer_id: o.status
        for o in db.session.scalars(select(Offer).where(Offer.request_id == offered.id))
    }
    assert offers == {leaving.id: OfferStatus.WITHDRAWN, other.id: OfferStatus.PENDING}
    # The accepted request goes back to matching (and on to the other digibuddy), the session is cancelled.
    assert accepted.status == RequestStatus.OFFERED, accepted.escalation_reasons
    assert session.status == SessionStatus.CANCELLED
    kinds = [
        e.kind for e in db.session.scalars(select(RequestEvent).where(RequestEvent.request_id == accepted.id))
    ]
    assert "volunteer_stopped" in kinds and "session_cancelled" in kinds
    stopped = db.session.scalar(
        select(RequestEvent).where(
            RequestEvent.request_id == accepted.id, RequestEvent.kind == "volunteer_stopped"
        )
    )
    assert stopped.note == "Gedragscode niet nageleefd" and stopped.actor_id == coordinator.id
    detail = text(client.get(f"/requests/{accepted.id}?lang=en"))
    assert "The digibuddy no longer has access: looking for another digibuddy" in detail

    # The resident is told in their language, the coordinator gets the list.
    told = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "maria@example.org"))
    assert told.kind == "session_cancelled_new_digibuddy"
    assert "We are looking for another digibuddy for you" in told.body
    summary = db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.recipient == coordinator.email, OutboxMessage.kind == "volunteer_access_ended"
        )
    )
    assert accepted.reference[:4] in summary.body.replace("-", "") or accepted.reference in summary.body
    assert "Gedragscode niet nageleefd" in summary.body and leaving.user.name in summary.subject


def test_a_digibuddy_who_left_is_refused_until_a_coordinator_takes_them_back(client, make_client):
    network = NetworkFactory(postcodes=["9000"])
    coordinator = make_user(Role.COORDINATOR, network)
    leaving = helper(network)
    client.login(coordinator)
    assert _suspend(client, leaving, reason="", status="left").status_code == 302
    db.session.refresh(leaving)
    assert leaving.status == VolunteerStatus.LEFT
    volunteer_client = make_client()
    refused = volunteer_client.submit(
        "/login?lang=nl", {"email": leaving.user.email, "password": "password-123456"}, form_url="/login"
    )
    assert "Je toegang als digibuddy is beëindigd" in text(refused)
    assert _suspend(client, leaving, reason="", status="vetting").status_code == 302
    volunteer_client.login(leaving.user)
    assert volunteer_client.get("/home").status_code == 200


def test_a_wrong_password_for_a_suspended_digibuddy_says_nothing_about_the_account(client):
    network = NetworkFactory(postcodes=["9000"])
    leaving = helper(network, status=VolunteerStatus.SUSPENDED)
    page = text(client.submit("/login?lang=en", {"email": leaving.user.email, "password": "not it"}))
    assert "The e-mail address or the password is not right." in page and "access" not in page


def test_a_coordinator_switches_counter_staff_off_and_on(client, make_client):
    network = NetworkFactory()
    coordinator = make_user(Role.COORDINATOR, network)
    counter = make_user(Role.COUNTER, network, name="Kim Baert")
    counter_client = make_client()
    counter_client.login(counter)
    client.login(coordinator)
    assert f"/network/staff/{counter.id}" in text(client.get("/network/staff"))
    assert "Kim Baert" in text(client.get(f"/network/staff/{counter.id}"))
    response = client.submit(f"/network/staff/{counter.id}", {"action": "switch_off"})
    assert response.status_code == 302
    assert counter_client.get("/home").status_code == 302
    refused = counter_client.submit("/login?lang=en", {"email": counter.email, "password": "password-123456"})
    assert "Your account is switched off" in text(refused)
    client.submit(f"/network/staff/{counter.id}", {"action": "switch_on"})
    counter_client.login(counter)
    assert counter_client.get("/home").status_code == 200


def test_a_coordinator_removes_counter_staff_from_the_network(client, make_client):
    network = NetworkFactory()
    coordinator = make_user(Role.COORDINATOR, network)
    counter = make_user(Role.COUNTER, network)
    counter_client = make_client()
    counter_client.login(counter)
    assert counter_client.get("/intake").status_code == 200
    client.login(coordinator)
    client.submit(f"/network/staff/{counter.id}", {"action": "remove", "network": str(network.id)})
    assert db.session.scalar(select(Membership).where(Membership.user_id == counter.id)) is None
    assert counter_client.get("/intake").status_code == 302  # logged out at once
    counter_client.login(counter)  # the account still exists, without the role
    assert counter_client.get("/intake").status_code == 403


def test_a_coordinator_cannot_switch_off_staff_who_also_work_elsewhere_or_of_another_network(client):
    network, elsewhere = NetworkFactory(), NetworkFactory()
    coordinator = make_user(Role.COORDINATOR, network)
    shared = make_user(Role.COUNTER, network)
    db.session.add(Membership(user_id=shared.id, network_id=elsewhere.id, role=Role.COUNTER))
    stranger = make_user(Role.COUNTER, elsewhere)
    colleague = make_user(Role.COORDINATOR, network)
    db.session.commit()
    client.login(coordinator)
    assert client.get(f"/network/staff/{stranger.id}").status_code == 404
    assert client.get(f"/network/staff/{colleague.id}").status_code == 404
    assert client.post(f"/network/staff/{stranger.id}", data={"action": "switch_off"}).status_code in (
        400,
        404,
    )
    page = text(client.get(f"/network/staff/{shared.id}?lang=en"))
    assert "only the central administrator can switch their account off" in page
    client.submit(f"/network/staff/{shared.id}", {"action": "switch_off"})
    db.session.refresh(shared)
    assert shared.active
    response = client.submit(f"/network/staff/{shared.id}?lang=en", {"action": "nonsense"})
    assert response.status_code == 302


def test_the_central_administrator_switches_a_coordinator_off_and_removes_another(client, make_client):
    network = NetworkFactory()
    first, second = make_user(Role.COORDINATOR, network), make_user(Role.COORDINATOR, network)
    clients = {}
    for coordinator in (first, second):
        clients[coordinator.id] = make_client()
        clients[coordinator.id].login(coordinator)
    client.login(make_admin())
    url = f"/admin/networks/{network.id}/coordinators/{first.id}"
    assert url in text(client.get(f"/admin/networks/{network.id}"))
    assert client.submit(url, {"action": "switch_off"}).status_code == 302
    assert clients[first.id].get("/home").status_code == 302
    assert not db.session.get(User, first.id).active
    client.submit(f"/admin/networks/{network.id}/coordinators/{second.id}", {"action": "remove"})
    assert not db.session.get(User, second.id).has_role(Role.COORDINATOR)
    assert clients[second.id].get("/network/staff").status_code == 302
    assert client.get(f"/admin/networks/{network.id}/coordinators/{second.id}").status_code == 404


def test_a_suspended_digibuddy_gives_up_their_coming_drop_in_shifts(client):
    network = NetworkFactory(postcodes=["9000"])
    coordinator = make_user(Role.COORDINATOR, network, locale="en")
    leaving = helper(network)
    coming = make_shift(network, leaving, local_today() + timedelta(days=7), title="Koffie & Formulieren")
    past = make_shift(network, leaving, local_today() - timedelta(days=7), title="Vorige week")
    past_id, coming_id = past.id, coming.id
    client.login(coordinator)
    assert _suspend(client, leaving).status_code == 302
    db.session.expire_all()
    assert db.session.get(DropInShift, coming_id) is None
    assert db.session.get(DropInShift, past_id) is not None  # what happened stays
    summary = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "volunteer_access_ended"))
    assert "Koffie & Formulieren" in summary.body and "Vorige week" not in summary.body
