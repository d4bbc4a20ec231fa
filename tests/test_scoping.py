"""A coordinator of network A never reaches an object of network B: the scoping helper returns 404."""

import pytest
from werkzeug.exceptions import NotFound

from digibuddy.accounts.models import Invitation, Membership, Role
from digibuddy.core.scoping import get_scoped_or_404, scoped
from digibuddy.extensions import db
from digibuddy.network.models import Location
from digibuddy.requests.models import HelpRequest, Resident
from digibuddy.volunteers.models import VolunteerProfile
from tests.factories import HelpRequestFactory, LocationFactory, NetworkFactory, make_user, make_volunteer


@pytest.fixture
def two_networks(app):
    a, b = NetworkFactory(name="A", postcodes=["9000"]), NetworkFactory(name="B", postcodes=["2800"])
    coordinator_a = make_user(Role.COORDINATOR, a)
    objects_b = {
        Location: LocationFactory(network=b, postcode_code="2800").id,
        Resident: (
            request_b := HelpRequestFactory(resident__network=b, resident__postcode_code="2800")
        ).resident_id,
        HelpRequest: request_b.id,
        VolunteerProfile: make_volunteer(b, postcode="2800").id,
        Membership: make_user(Role.COUNTER, b).memberships[0].id,
        Invitation: _invitation(b),
    }
    objects_a = {
        Location: LocationFactory(network=a).id,
        Resident: (request_a := HelpRequestFactory(resident__network=a)).resident_id,
        HelpRequest: request_a.id,
        VolunteerProfile: make_volunteer(a).id,
    }
    return coordinator_a, objects_a, objects_b


def _invitation(network):
    invitation = Invitation(
        network_id=network.id,
        email="x@example.org",
        name="X",
        role=Role.COUNTER,
        token_hash="f" * 64,
        expires_at=db.func.now(),
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation.id


def test_helper_gives_404_for_every_object_of_another_network(app, two_networks):
    coordinator_a, objects_a, objects_b = two_networks
    from flask_login import login_user

    with app.test_request_context():
        login_user(coordinator_a)
        for model, object_id in objects_b.items():
            with pytest.raises(NotFound):
                get_scoped_or_404(model, object_id, Role.COORDINATOR)
            assert (
                db.session.scalars(scoped(model, Role.COORDINATOR).where(model.id == object_id)).first()
                is None
            )
        for model, object_id in objects_a.items():
            assert get_scoped_or_404(model, object_id, Role.COORDINATOR).id == object_id


def test_coordinator_gets_404_for_another_networks_location_page(client, two_networks):
    coordinator_a, objects_a, objects_b = two_networks
    client.login(coordinator_a)
    assert client.get(f"/network/locations/{objects_a[Location]}").status_code == 200
    assert client.get(f"/network/locations/{objects_b[Location]}").status_code == 404
    assert client.get("/network/locations/not-a-number").status_code == 404
    token = client.csrf_token(f"/network/locations/{objects_a[Location]}")
    response = client.post(
        f"/network/locations/{objects_b[Location]}", data={"csrf_token": token, "name": "Hacked"}
    )
    assert response.status_code == 404
    assert db.session.get(Location, objects_b[Location]).name != "Hacked"


def test_staff_and_location_lists_show_only_own_network(client, two_networks):
    coordinator_a, _a, objects_b = two_networks
    client.login(coordinator_a)
    other_location = db.session.get(Location, objects_b[Location])
    assert other_location.name not in client.get("/network/locations").get_data(as_text=True)
    other_member = db.session.get(Membership, objects_b[Membership]).user
    assert other_member.email not in client.get("/network/staff").get_data(as_text=True)


def test_coordinator_cannot_move_a_location_into_another_network(client, two_networks):
    coordinator_a, objects_a, _b = two_networks
    client.login(coordinator_a)
    network_b = db.session.scalar(db.select(Location).where(Location.id == _b[Location])).network_id
    response = client.submit(
        "/network/locations/new",
        {"network_id": network_b, "name": "X", "kind": "library", "street": "Straat 1", "postcode": "9000"},
    )
    assert response.status_code == 422  # "Not a valid choice" on the network field
    assert 'href="#network_id"' in response.get_data(as_text=True)
    assert (
        db.session.scalar(db.select(db.func.count()).select_from(Location).where(Location.name == "X")) == 0
    )
