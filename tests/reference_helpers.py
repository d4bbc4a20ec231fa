"""Reference data (the topic catalogue) is loaded once per test run and kept between
tests. A test that edits it through the app uses `restored_reference`: afterwards every row is as it was, and
rows the test created are gone."""

import pytest
import sqlalchemy as sa

from digibuddy.extensions import db

# Children first: a topic points at its group (and at the topic it was merged into).
TABLES = ("topics", "topic_groups")


def _rows(table) -> dict:
    return {row.id: dict(row._mapping) for row in db.session.execute(sa.select(table))}


@pytest.fixture
def restored_reference(app):
    tables = {name: db.metadata.tables[name] for name in TABLES}
    before = {name: _rows(table) for name, table in tables.items()}
    yield
    from tests.conftest import _empty_tables

    db.session.remove()
    _empty_tables()  # the requests, profiles and outcomes that point at rows the test created
    with db.engine.begin() as conn:
        topics = tables["topics"]
        conn.execute(sa.update(topics).values(merged_into_id=None))
        for name, table in tables.items():
            kept = before[name]
            conn.execute(sa.delete(table).where(table.c.id.not_in(list(kept) or [-1])))
        for name in reversed(TABLES):
            table = tables[name]
            for row_id, values in before[name].items():
                conn.execute(sa.update(table).where(table.c.id == row_id).values(**values))
