"""The start-up warm-up folds the dashboards' waiting roll-up marks and works out one network's figures, so
that the first dashboard after a start (or in a new worker) neither folds what changed while nothing ran
nor compiles its statements. The dashboard must show the same figures as one that folds for itself."""

import re

import pytest
from sqlalchemy import event, func, select

from digibuddy.extensions import db
from digibuddy.reports.models import RollupDirty
from digibuddy.warmup import warm_up
from tests.conftest import text
from tests.routes import populate

TOKEN = re.compile(r'name="csrf_token" value="[^"]*"')


def marks() -> int:
    return db.session.scalar(select(func.count()).select_from(RollupDirty))


def writes_of(client, url: str) -> tuple[str, list[str]]:
    found = []

    def seen(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SELECT", "WITH", "PRAGMA")):
            found.append(statement)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert response.status_code == 200
    return TOKEN.sub("", text(response)), found  # the log-out form's token is signed anew per page


@pytest.fixture
def world(app):
    world = populate("9000", "Gent")
    db.session.commit()
    return world


def test_the_warm_up_folds_the_marks_and_the_dashboard_shows_the_same(app, world, make_client):
    assert marks() > 0  # the world's requests and sessions marked their days
    client = make_client()
    client.login(world.people["coordinator"])
    client.get("/home")  # shows the welcome message once
    folding_itself, writes = writes_of(client, "/reports/local")
    assert any("rollup_dirty" in statement for statement in writes)  # this load folded the marks

    populate("2000", "Antwerpen")  # another network's work marks days again
    db.session.commit()
    assert marks() > 0
    warm_up(app)
    assert marks() == 0
    after_warm_up, writes = writes_of(client, "/reports/local")
    assert not any("rollup" in statement for statement in writes)  # nothing left to fold
    assert after_warm_up == folding_itself


def test_the_warm_up_moves_what_start_up_made_out_of_the_collector(app):
    import gc

    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    warm_up(app)
    try:
        assert gc.get_freeze_count() > 10_000  # the modules, mappers, templates and catalogues
    finally:
        gc.unfreeze()
