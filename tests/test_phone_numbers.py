"""Phone numbers are parsed and checked with the phonenumbers package, stored in E.164 (existing data too),
shown in the national format and isolated left-to-right on right-to-left pages."""

import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import select

from digibuddy.core.phones import InvalidPhone, can_receive_sms, display_phone, normalise_phone
from digibuddy.extensions import db
from digibuddy.requests.models import HelpRequest
from digibuddy.requests.services import search_residents
from tests.conftest import make_app, text
from tests.factories import NetworkFactory, ResidentFactory
from tests.requests_helpers import online_form


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"], phone="09 210 10 10")


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("0470 12 34 56", "+32470123456"),
        ("0470/12.34.56", "+32470123456"),
        ("0032 470 12 34 56", "+32470123456"),
        ("+32 (0)470 12 34 56", "+32470123456"),
        ("09 210 10 10", "+3292101010"),
        ("+31 6 12345678", "+31612345678"),
    ],
)
def test_every_way_of_writing_a_number_is_stored_the_same(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "0470", "call me", "0470 12 34 56 78 90", "+32 1"])
def test_an_impossible_number_is_refused(typed):
    with pytest.raises(InvalidPhone):
        normalise_phone(typed)


def test_numbers_are_shown_as_people_write_them():
    assert display_phone("+32470123456") == "0470 12 34 56"
    assert display_phone("+3292101010") == "09 210 10 10"
    assert display_phone("+31612345678") == "+31 6 12345678"
    assert display_phone("call the desk") == "call the desk"  # old text kept as it was
    assert can_receive_sms("+32470123456") and not can_receive_sms("+3292101010")


def test_the_request_form_stores_the_number_in_e164(client, gent):
    response = client.submit("/help", online_form(phone="0470/12.34.56"))
    assert response.status_code == 302
    assert db.session.scalar(select(HelpRequest)).resident.phone == "+32470123456"


def test_an_impossible_number_is_a_field_error_that_keeps_what_was_typed(client, gent):
    response = client.submit("/help?lang=en", online_form(phone="0470 12"), form_url="/help?lang=en")
    page = text(response)
    assert response.status_code == 422
    assert "This is not a phone number we can call" in page and 'href="#phone"' in page
    assert 'value="0470 12"' in page and 'aria-invalid="true"' in page


def test_staff_find_a_resident_however_the_number_is_typed(app, gent):
    maria = ResidentFactory(network=gent, phone="0470 12 34 56")
    db.session.commit()
    db.session.refresh(maria)
    assert maria.phone == "+32470123456"
    for typed in ("0470123456", "+32 470 12 34 56", "0470/12.34.56"):
        assert search_residents([gent.id], phone=typed) == [maria]


def test_phone_numbers_are_isolated_left_to_right_on_an_arabic_page(client, gent):
    page = text(client.get("/?lang=ar"))
    assert '<a href="tel:+3292101010"><bdi dir="ltr">09 210 10 10</bdi></a>' in page


def test_the_migration_stores_existing_numbers_in_e164():
    """Upgrade a database that holds numbers as they were typed before E.164."""
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='digibuddy-phones-')) / 'db.sqlite'}"
    app = make_app(url)
    with app.app_context():
        upgrade(revision="0009")  # the last one before numbers were stored in E.164
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO local_networks (id, name, slug, phone, offer_timeout_hours, "
                    "max_offer_rounds, retention_months, allow_overflow, extract_max_age_months, active, "
                    "created_at) VALUES "
                    "(1, 'Gent', 'gent', '09/210.10.10', 24, 3, 24, false, 36, true, '2026-01-01')"
                )
            )
            for rid, phone in ((1, "0470 12 34 56"), (2, "bel de balie"), (3, None)):
                conn.execute(
                    sa.text(
                        "INSERT INTO residents (id, network_id, first_name, phone, has_no_email, locale, "
                        "needs_low_vision, needs_hearing, needs_mobility, created_at) VALUES "
                        "(:id, 1, 'Maria', :phone, true, 'nl', false, false, false, '2026-01-01')"
                    ),
                    {"id": rid, "phone": phone},
                )
        upgrade()
        with db.engine.connect() as conn:
            phones = conn.execute(sa.text("SELECT phone FROM residents ORDER BY id")).scalars().all()
            network_phone = conn.execute(sa.text("SELECT phone FROM local_networks")).scalar()
        db.session.remove()
        db.engine.dispose()
    assert phones == ["+32470123456", "bel de balie", None]
    assert network_phone == "+3292101010"
