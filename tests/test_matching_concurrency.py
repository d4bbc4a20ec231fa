"""Two (or more) volunteers accept the same request at the same instant: exactly one wins, every time,
on SQLite and on PostgreSQL alike, because the database holds the rule."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.matching import services
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.requests.models import HelpRequest, RequestStatus
from digibuddy.volunteers.models import VolunteerProfile
from tests.factories import NetworkFactory
from tests.matching_helpers import helper, make_request

ROUNDS = 8
RACERS = 4


def race(app, offer_ids: list[int], volunteer_ids: list[int]) -> list[str]:
    barrier = threading.Barrier(len(offer_ids))
    outcomes = [None] * len(offer_ids)

    def accept(index):
        with app.app_context():
            volunteer = db.session.get(VolunteerProfile, volunteer_ids[index])
            barrier.wait()
            try:
                services.accept_offer(offer_ids[index], volunteer)
                outcomes[index] = "won"
            except services.AlreadyTaken:
                outcomes[index] = "lost"
            except Exception as error:  # pragma: no cover - shown in the assertion
                outcomes[index] = f"error: {error!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(len(offer_ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_concurrent_accepts_have_exactly_one_winner(app):
    network = NetworkFactory(postcodes=["9000"])
    volunteers = [helper(network, max_concurrent=ROUNDS + 1) for _ in range(RACERS)]
    volunteer_ids = [v.id for v in volunteers]
    for _round in range(ROUNDS):
        request = make_request(network)
        offer_ids = []
        for volunteer_id in volunteer_ids:
            offer = Offer(
                request_id=request.id,
                volunteer_id=volunteer_id,
                status=OfferStatus.PENDING,
                expires_at=utcnow() + timedelta(hours=1),
            )
            db.session.add(offer)
            db.session.flush()
            offer_ids.append(offer.id)
        request.status = RequestStatus.OFFERED
        db.session.commit()
        request_id = request.id
        db.session.remove()

        outcomes = race(app, offer_ids, volunteer_ids)
        assert sorted(outcomes) == ["lost"] * (RACERS - 1) + ["won"], outcomes
        accepted = db.session.scalar(
            select(func.count())
            .select_from(Offer)
            .where(Offer.request_id == request_id, Offer.status == OfferStatus.ACCEPTED)
        )
        assert accepted == 1
        assert db.session.get(HelpRequest, request_id).status == RequestStatus.MATCHED
        db.session.remove()


@pytest.mark.parametrize("racers", [2])
def test_the_loser_sees_a_friendly_message(client, make_client, app, racers):
    network = NetworkFactory(postcodes=["9000"])
    first, second = helper(network), helper(network)
    request = make_request(network)
    offers = []
    for volunteer in (first, second):
        offers.append(
            Offer(
                request_id=request.id,
                volunteer_id=volunteer.id,
                status=OfferStatus.PENDING,
                expires_at=utcnow() + timedelta(hours=1),
            )
        )
    db.session.add_all(offers)
    request.status = RequestStatus.OFFERED
    db.session.commit()
    client.login(first.user)
    client.submit(f"/offers/{offers[0].id}/accept", {}, form_url=f"/offers/{offers[0].id}")
    late = make_client()
    late.login(second.user)
    token = late.csrf_token("/home")
    response = late.post(
        f"/offers/{offers[1].id}/accept?lang=en", data={"csrf_token": token}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Another digibuddy accepted this request just before you." in response.get_data(as_text=True)
    assert racers == 2
