"""Network settings through the pages: the centre's defaults and bounds, a network's own values within them,
every part of the product reading what applies, the history and audit log, the weights preview and the
scoping of the settings pages."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.audit.models import AuditEntry, ChangeRecord
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.matching import candidates, services
from digibuddy.matching.engine import Weights
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.network.models import LocalNetwork
from digibuddy.network.settings import central_settings, network_settings
from digibuddy.network.steering import WEIGHT_KEYS, Central
from digibuddy.privacy.retention import apply_retention
from digibuddy.requests.models import HelpMode, RequestStatus, Resident
from digibuddy.volunteers.models import TopicLevel, VettingCheck, VettingItem, VolunteerStatus, VolunteerTopic
from tests.conftest import text
from tests.factories import NetworkFactory, make_admin, make_user
from tests.matching_helpers import ITSME, TAX, helper, make_request, topic
from tests.privacy_helpers import full_resident

NL = (("nl", "native"),)


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000", "9050"])


@pytest.fixture
def mechelen(app):
    return NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"])


@pytest.fixture
def admin_client(client):
    client.login(make_admin())
    return client


def central_form(**changed) -> dict:
    """The central settings form as it stands (every setting at its current value), with `changed`."""
    data = {}
    for key, value in central_settings().items():
        if key == "allow_overflow":
            data[key] = "1" if value.value else "0"
            if value.minimum != value.maximum:
                data[key + "_free"] = "y"
        else:
            data[key], data[key + "_min"], data[key + "_max"] = (
                f"{value.value:g}",
                f"{value.minimum:g}",
                f"{value.maximum:g}",
            )
    data.update({k: str(v) for k, v in changed.items() if v is not None})
    return {k: v for k, v in data.items() if changed.get(k, "") is not None}


def set_central(client, lang="en", **changed):
    return client.submit(f"/admin/settings?lang={lang}", central_form(**changed))


def own_form(network, **changed) -> dict:
    """The network's settings form: empty fields (the central default) with `changed` filled in."""
    return {key: str(value) for key, value in changed.items()}


def set_own(client, network, action="save", lang="en", **changed):
    url = f"/network/{network.id}/settings?lang={lang}"
    return client.submit(url, {**own_form(network, **changed), "action": action})


def fresh(network) -> LocalNetwork:
    db.session.expire_all()
    return db.session.get(LocalNetwork, network.id)


# ------------------------------------------------------------------------------------- defaults and bounds
def test_the_centres_default_applies_to_a_network_without_its_own_value(admin_client, gent, english):
    assert network_settings(gent).offer_timeout_hours == 24
    response = set_central(admin_client, offer_timeout_hours=48, offer_timeout_hours_min=12)
    assert response.status_code == 302
    assert network_settings(fresh(gent)).offer_timeout_hours == 48
    page = text(admin_client.get("/admin/settings?lang=en"))
    assert "Changes to the central settings" in page
    assert "Hours a volunteer has to answer an offer: 24 → 48<" in page
    assert "Hours a volunteer has to answer an offer: lowest a network may choose: 1 → 12<" in page


def test_the_centre_is_refused_bounds_that_cannot_hold(admin_client, gent):
    response = set_central(admin_client, max_offer_rounds_min=5, max_offer_rounds_max=4, retention_months=200)
    assert response.status_code == 422
    page = text(response)
    assert "The highest value cannot be lower than the lowest (5)." in page
    assert "Choose a number from 1 to 120." in page
    assert 'value="200"' in page  # nothing typed is lost
    assert db.session.scalars(select(ChangeRecord)).all() == []
    assert network_settings(fresh(gent)).retention_months == 24


def test_a_coordinator_sets_an_own_value_within_the_bounds(client, gent, english):
    coordinator = make_user(Role.COORDINATOR, gent, name="Ann Claes")
    client.login(coordinator)
    response = set_own(client, gent, offer_timeout_hours=36)
    assert response.status_code == 302
    assert fresh(gent).offer_timeout_hours == 36
    assert network_settings(gent).offer_timeout_hours == 36
    page = text(client.get(f"/network/{gent.id}/settings?lang=en"))
    assert "Changes to the settings of this network" in page
    assert "Ann Claes" in page and "Hours a volunteer has to answer an offer: — → 36<" in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings_changed"))
    assert entry.network_id == gent.id and entry.user_id == coordinator.id
    assert entry.detail == "offer_timeout_hours: — → 36"
    # Emptying the field follows the central default again.
    assert set_own(client, gent).status_code == 302
    assert fresh(gent).offer_timeout_hours is None and network_settings(gent).offer_timeout_hours == 24


def test_an_own_value_outside_the_bounds_is_refused_with_a_field_error(admin_client, make_client, gent):
    set_central(admin_client, offer_timeout_hours_min=12, offer_timeout_hours_max=72)
    client = make_client()
    client.login(make_user(Role.COORDINATOR, gent))
    response = set_own(client, gent, offer_timeout_hours=100, max_offer_rounds=4)
    assert response.status_code == 422
    page = text(response)
    assert "Hours a volunteer has to answer an offer: Choose a number from 12 to 72." in page
    assert 'href="#offer_timeout_hours"' in page and 'value="100"' in page
    assert fresh(gent).offer_timeout_hours is None and fresh(gent).max_offer_rounds is None
    # The French page says the same in French.
    page_fr = text(set_own(client, gent, offer_timeout_hours=100, lang="fr"))
    assert "Choisissez un nombre de 12 à 72." in page_fr


def test_narrowed_bounds_move_an_existing_own_value_to_the_nearest_bound(admin_client, gent, english):
    gent.offer_timeout_hours = 60
    db.session.commit()
    set_central(admin_client, offer_timeout_hours_max=36)
    assert fresh(gent).offer_timeout_hours == 60  # kept as the network chose it
    assert network_settings(gent).offer_timeout_hours == 36
    central_page = text(admin_client.get("/admin/settings?lang=en"))
    assert "1 network has a value of its own outside these bounds" in central_page
    assert "Digibuddy Gent" in central_page
    page = text(admin_client.get(f"/network/{gent.id}/settings?lang=en"))
    assert (
        "Your own value 60 lies outside the bounds the central administration set now, so 36 applies." in page
    )


def test_a_setting_the_centre_locks_is_shown_and_not_taken_from_the_form(admin_client, gent, english):
    gent.allow_overflow = True
    db.session.commit()
    set_central(admin_client, allow_overflow="0", allow_overflow_free=None)  # every network the same
    assert network_settings(fresh(gent)).allow_overflow is False
    page = text(admin_client.get(f"/network/{gent.id}/settings?lang=en"))
    assert "Set by the central administration for every network: no." in page
    assert 'name="allow_overflow"' not in page
    assert set_own(admin_client, gent, allow_overflow="1").status_code == 302
    assert network_settings(fresh(gent)).allow_overflow is False


# ---------------------------------------------------------------------------------- every reader uses it
def test_the_offer_timeout_that_applies_sets_an_offers_expiry(admin_client, gent):
    helper(gent)
    set_central(admin_client, offer_timeout_hours=48)
    request = make_request(gent)
    services.start_matching(request)
    offer = db.session.scalar(select(Offer).where(Offer.request_id == request.id))
    assert offer.expires_at - offer.created_at == timedelta(hours=48)
    gent = fresh(gent)
    gent.offer_timeout_hours = 6
    db.session.commit()
    other = make_request(gent)
    services.start_matching(other)
    offer = db.session.scalar(select(Offer).where(Offer.request_id == other.id))
    assert offer.expires_at - offer.created_at == timedelta(hours=6)


def test_the_offer_rounds_that_apply_decide_when_a_request_is_escalated(admin_client, gent):
    first, second = helper(gent), helper(gent, postcode="9050")
    set_central(admin_client, max_offer_rounds=1)
    request = make_request(gent)
    offer = services.start_matching(request)
    services.decline_offer(offer, db.session.get(type(first), offer.volunteer_id), "Geen tijd")
    db.session.refresh(request)
    assert request.status == RequestStatus.ESCALATED and request.escalation_reasons["rounds"] == 1
    assert len(db.session.scalars(select(Offer).where(Offer.request_id == request.id)).all()) == 1
    assert {first.id, second.id}  # both fit: only the rounds stopped it


def test_the_retention_period_that_applies_decides_what_is_anonymised(admin_client, gent):
    old, _session, _volunteer = full_resident(gent, closed_days_ago=400)  # about 13 months ago
    apply_retention()
    assert db.session.get(Resident, old.resident_id).anonymised_at is None  # 24 months by default
    set_central(admin_client, retention_months=12)
    apply_retention()
    assert db.session.get(Resident, old.resident_id).anonymised_at is not None


def test_a_networks_own_retention_period_keeps_its_residents_longer(admin_client, gent):
    old, _session, _volunteer = full_resident(gent, closed_days_ago=400)
    set_central(admin_client, retention_months=12)
    gent = fresh(gent)
    gent.retention_months = 18
    db.session.commit()
    apply_retention()
    assert db.session.get(Resident, old.resident_id).anonymised_at is None


def test_the_extract_age_that_applies_is_the_one_vetting_checks(admin_client, make_client, gent):
    set_central(admin_client, extract_max_age_months=3)
    coordinator = make_client()
    coordinator.login(make_user(Role.COORDINATOR, gent))
    volunteer = helper(gent, status=VolunteerStatus.APPLIED, vetted=False)
    url = f"/volunteers/manage/{volunteer.id}/checklist/criminal_record"
    issued = (date.today() - timedelta(days=120)).isoformat()
    response = coordinator.submit(
        url + "?lang=en",
        {"criminal_record-document_date": issued},
        form_url=f"/volunteers/manage/{volunteer.id}",
    )
    assert response.status_code == 422 and "older than 3 months" in text(response)
    assert db.session.get(VettingCheck, (volunteer.id, VettingItem.CRIMINAL_RECORD)) is None


def test_overflow_to_neighbours_follows_the_central_default(admin_client, gent):
    neighbour = NetworkFactory(postcodes=["9820"])  # Merelbeke, next to Gent
    helper(neighbour, postcode="9820", radius=15)
    request = make_request(gent)
    assert services.suggestions(request).candidates == []
    set_central(admin_client, allow_overflow="1", allow_overflow_free="y")
    db.session.expire_all()
    assert neighbour.id in candidates.candidate_network_ids(fresh(gent), 51.05, 3.72)
    assert len(services.suggestions(db.session.get(type(request), request.id)).candidates) == 1


def test_the_weights_that_apply_rank_the_suggestions(admin_client, gent):
    near, far = _near_and_far(gent)
    request = make_request(gent, languages=("nl",))
    assert services.suggestions(request).candidates[0].volunteer_id == near.id
    set_central(admin_client, weight_distance=0, weight_topics=100)
    db.session.expire_all()
    request = db.session.get(type(request), request.id)
    assert services.suggestions(request).candidates[0].volunteer_id == far.id


# --------------------------------------------------------------------------------------- weights preview
def _near_and_far(network):
    """Two digibuddies for an itsme home visit in 9000: one living there who can explain it, one in 9050
    (a few km away) who is experienced. Distance favours the first, topic knowledge the second."""
    near = helper(network, languages=NL, max_concurrent=10, radius=10)
    level = db.session.scalar(select(VolunteerTopic).where(VolunteerTopic.volunteer_id == near.id))
    level.level = TopicLevel.CAN_EXPLAIN
    far = helper(network, postcode="9050", languages=NL, max_concurrent=10, radius=10)
    near.user.name, far.user.name = "Nora Dichtbij", "Frank Verweg"
    db.session.commit()
    return near, far


def _matched(network, topics=(ITSME,), volunteer=None, minutes_ago=10):
    """A request matched some minutes ago (accepted by `volunteer`, or by a digibuddy who stopped since)."""
    if volunteer is None:
        volunteer = helper(network, languages=NL, status=VolunteerStatus.PAUSED)
    request = make_request(network, languages=("nl",), topics=topics, mode=HelpMode.HOME)
    request.status = RequestStatus.MATCHED
    db.session.add(
        Offer(
            request_id=request.id,
            volunteer_id=volunteer.id,
            status=OfferStatus.ACCEPTED,
            responded_at=utcnow() - timedelta(minutes=minutes_ago),
        )
    )
    db.session.commit()
    return request


def test_the_preview_finds_the_request_whose_top_suggestion_flips(gent):
    near, far = _near_and_far(gent)
    db.session.add(VolunteerTopic(volunteer_id=far.id, topic_id=topic(TAX).id, level=TopicLevel.EXPERIENCED))
    db.session.commit()
    flips = _matched(gent, minutes_ago=5)
    stays = _matched(gent, topics=(TAX,), minutes_ago=50)  # only the far one knows Tax-on-web
    rows = services.weights_preview(gent, Weights(distance=0, topics=100))
    assert [row.request.id for row in rows] == [flips.id, stays.id]  # last matched first
    assert (rows[0].before.volunteer_id, rows[0].after.volunteer_id) == (near.id, far.id)
    assert rows[0].changed and not rows[1].changed
    assert rows[1].before.volunteer_id == rows[1].after.volunteer_id == far.id
    # The same weights as now change nothing.
    assert not any(row.changed for row in services.weights_preview(gent, Weights()))


def test_the_preview_keeps_to_the_last_50_matched_requests(gent):
    volunteer = helper(gent, languages=NL, status=VolunteerStatus.PAUSED)
    for minutes in range(52):
        _matched(gent, volunteer=volunteer, minutes_ago=minutes + 1)
    assert len(services.weights_preview(gent, Weights())) == 50


def test_the_settings_page_previews_new_weights_before_saving(client, gent, english):
    near, far = _near_and_far(gent)
    _matched(gent)
    client.login(make_user(Role.COORDINATOR, gent))
    weights = {"weight_distance": 0, "weight_topics": 100}
    response = set_own(client, gent, action="preview", **weights)
    assert response.status_code == 200
    page = text(response)
    assert "The top suggestion changes for 1 of the last 1 matched requests." in page
    assert page.index("Nora Dichtbij") < page.index("Frank Verweg")
    assert fresh(gent).match_weights is None  # a preview saves nothing
    assert 'value="0,100,15,12,6,8,4"' in page  # the weights previewed, posted back with "Save"
    listed = select(AuditEntry).where(AuditEntry.object_type == "volunteer_profile")
    assert db.session.scalar(listed) is not None
    # Saving those weights (as the page posts them back) saves them.
    saved = client.submit(
        f"/network/{gent.id}/settings",
        {**own_form(gent, **weights), "previewed": "0,100,15,12,6,8,4", "action": "save"},
    )
    assert saved.status_code == 302
    assert fresh(gent).match_weights == {"distance": 0.0, "topics": 100.0}
    page = text(client.get(f"/network/{gent.id}/settings?lang=en"))
    assert "Distance: — → 0<" in page


def test_new_weights_are_not_saved_before_their_effect_was_shown(client, gent, english):
    _matched(gent)
    client.login(make_user(Role.COORDINATOR, gent))
    response = set_own(client, gent, weight_language=40)
    assert response.status_code == 200
    assert "The weights change. Check their effect below, then save again." in text(response)
    assert fresh(gent).match_weights is None
    # Settings other than the weights save at once.
    assert set_own(client, gent, max_offer_rounds=2).status_code == 302


def test_a_network_cannot_switch_every_weight_off(client, gent, english):
    client.login(make_user(Role.COORDINATOR, gent))
    response = set_own(client, gent, **dict.fromkeys(WEIGHT_KEYS, 0))
    assert response.status_code == 422
    assert "Give at least one weight a value above 0." in text(response)


# ------------------------------------------------------------------------------------------------ scoping
def test_a_coordinator_cannot_see_or_change_another_networks_settings(client, gent, mechelen):
    client.login(make_user(Role.COORDINATOR, gent))
    assert client.get(f"/network/{mechelen.id}/settings").status_code == 404
    token = client.csrf_token(f"/network/{gent.id}/settings")
    answer = client.post(
        f"/network/{mechelen.id}/settings",
        data={"csrf_token": token, "offer_timeout_hours": "30", "action": "save"},
    )
    assert answer.status_code == 404 and fresh(mechelen).offer_timeout_hours is None
    assert client.get("/admin/settings").status_code == 403
    # Their own way in leads to their own network.
    assert client.get("/network/settings").headers["Location"].endswith(f"/network/{gent.id}/settings")


def test_counter_staff_and_digibuddies_do_not_reach_the_settings(make_client, gent):
    for user in (make_user(Role.COUNTER, gent), helper(gent).user):
        client = make_client()
        client.login(user)
        assert client.get(f"/network/{gent.id}/settings").status_code == 403
        assert client.get("/network/settings").status_code == 403


def test_the_central_administrator_reaches_every_networks_settings(admin_client, gent, mechelen):
    assert admin_client.get(f"/network/{mechelen.id}/settings").status_code == 200
    page = text(admin_client.get("/network/settings"))
    assert "Digibuddy Gent" in page and "Digibuddy Mechelen" in page
    assert set_own(admin_client, mechelen, retention_months=36).status_code == 302
    assert fresh(mechelen).retention_months == 36
    assert fresh(gent).retention_months is None


def test_central_settings_are_stored_once_per_setting(admin_client):
    set_central(admin_client, offer_timeout_hours=30)
    set_central(admin_client, offer_timeout_hours=31)
    assert central_settings()["offer_timeout_hours"] == Central(31, 1, 336)
    records = db.session.scalars(select(ChangeRecord).order_by(ChangeRecord.id)).all()
    assert [r.changes for r in records] == [
        {"offer_timeout_hours": [24, 30]},
        {"offer_timeout_hours": [30, 31]},
    ]
