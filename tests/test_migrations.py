"""The Alembic migrations build exactly the schema the models describe, with constraints in the database."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from digibuddy.extensions import db
from digibuddy.models import include_in_schema
from tests.factories import HelpRequestFactory, NetworkFactory


def test_migrations_match_the_models(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_in_schema}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_status_values_are_checked_by_the_database(app):
    request = HelpRequestFactory(resident__network=NetworkFactory())
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.text("UPDATE help_requests SET status = 'bogus' WHERE id = :id"), {"id": request.id}
        )
        db.session.flush()
    db.session.rollback()


def test_foreign_keys_are_enforced(app):
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.text(
                "INSERT INTO locations (network_id, name, kind, street, postcode_code, active) "
                "VALUES (999999, 'x', 'library', 'x', '9000', true)"
            )
        )
        db.session.flush()
    db.session.rollback()


def test_a_municipality_belongs_to_one_network(app):
    NetworkFactory(postcodes=["9000"])
    with pytest.raises(sa.exc.IntegrityError):
        NetworkFactory(postcodes=["9000"])
    db.session.rollback()


def test_a_database_with_data_upgrades_to_the_head():
    """SQLite changes a column by copying its table and dropping the old one: with rows pointing to that
    table (a network's people, an event's registrations), the upgrade must keep them and fail on nothing.
    From 0018, a database as `make run` left it before events, training versions and central settings."""
    import tempfile
    from pathlib import Path

    from flask_migrate import upgrade

    from tests.conftest import make_app

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='digibuddy-upgrade-')) / 'db.sqlite'}"
    app = make_app(url)
    with app.app_context():
        upgrade(revision="0018")
        with db.engine.begin() as conn:
            for statement in (
                "INSERT INTO local_networks (id, name, slug, offer_timeout_hours, max_offer_rounds, "
                "retention_months, allow_overflow, extract_max_age_months, active, created_at) VALUES "
                "(1, 'Gent', 'gent', 48, 3, 24, false, 12, true, '2026-01-01 08:00:00.000000')",
                "INSERT INTO users (id, email, password_hash, name, locale, is_admin, active, created_at) "
                "VALUES (1, 'jef@example.org', 'x', 'Jef', 'nl', false, true, '2026-01-01 08:00:00.000000')",
                "INSERT INTO memberships (user_id, network_id, role, created_at) "
                "VALUES (1, 1, 'coordinator', '2026-01-01 08:00:00.000000')",
                "INSERT INTO network_events (id, kind, title, starts_at, ends_at, place, capacity, "
                "created_at) VALUES (1, 'training', 'Itsme', '2026-03-01 09:00:00.000000', "
                "'2026-03-01 11:00:00.000000', 'Gent', 10, '2026-01-01 08:00:00.000000')",
                "INSERT INTO event_registrations (event_id, user_id, created_at) "
                "VALUES (1, 1, '2026-02-01 10:00:00.000000')",
            ):
                conn.execute(sa.text(statement))
        upgrade()
        with db.engine.connect() as conn:
            registration = conn.execute(
                sa.text("SELECT user_id, network_id, status, placed_at FROM event_registrations")
            ).one()
            network = conn.execute(
                sa.text("SELECT offer_timeout_hours, retention_months FROM local_networks")
            ).one()
            broken = conn.execute(sa.text("PRAGMA foreign_key_check")).all()
            enforced = conn.execute(sa.text("PRAGMA foreign_keys")).scalar()
        db.session.remove()
        db.engine.dispose()
    assert tuple(registration[:3]) == (1, 1, "registered") and str(registration[3]).startswith("2026-02-01")
    assert tuple(network) == (48, None)  # its own offer time stays; the former default follows the centre
    assert broken == [] and enforced == 1
