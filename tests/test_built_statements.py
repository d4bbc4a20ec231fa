"""core.db.built: a statement built once per key and dialect, the most recently used ones kept."""

import sqlalchemy as sa

from digibuddy.core import db as core_db


def test_a_statement_is_built_once_per_key_and_the_least_recently_used_goes_first(app, monkeypatch):
    monkeypatch.setattr(core_db, "BUILT_KEPT", 3)
    monkeypatch.setattr(core_db, "_BUILT", core_db.OrderedDict())
    calls = []

    def build(n):
        calls.append(n)
        return sa.select(sa.literal(n))

    first = core_db.built(("test", 1), lambda: build(1))
    assert core_db.built(("test", 1), lambda: build(1)) is first
    for n in (2, 3):
        core_db.built(("test", n), lambda n=n: build(n))
    core_db.built(("test", 1), lambda: build(1))  # used again: now the most recent
    core_db.built(("test", 4), lambda: build(4))  # one too many: 2, the least recently used, goes
    assert calls == [1, 2, 3, 4]
    assert len(core_db._BUILT) == 3
    assert core_db.built(("test", 1), lambda: build(1)) is first
    core_db.built(("test", 2), lambda: build(2))
    assert calls == [1, 2, 3, 4, 2]
