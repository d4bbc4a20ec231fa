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
