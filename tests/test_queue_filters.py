"""The queue's filter fields are kept as rendered per language, choices, chosen values and errors
(requests/views_staff.py): every combination reads as the fields rendered anew."""

import re

import pytest

from digibuddy.requests import views_staff
from tests.conftest import text
from tests.routes import populate

FILTERS = re.compile(r'<form method="get" class="filters".*?</form>', re.S)
ASKED = [
    "",
    "status=new",
    "status=open&channel=phone",
    "group=smartphone&language=ar&older_than=7",
    "status=nonsense",  # not a choice: the field says so
    "language=xx&older_than=2",
]


@pytest.fixture
def coordinator(app, make_client):
    world = populate("9000", "Gent")
    client = make_client()
    client.login(world.people["coordinator"])
    return client


def filters(client, query: str, locale: str) -> str:
    return FILTERS.search(text(client.get(f"/requests?{query}&lang={locale}"))).group(0)


def test_kept_filters_read_as_rendered_anew(coordinator):
    kept = {}
    for _round in range(2):  # the second round comes from memory
        for locale in ("nl", "fr", "en"):
            for query in ASKED:
                kept.setdefault((query, locale), set()).add(filters(coordinator, query, locale))
    for (query, locale), shown in kept.items():
        views_staff._FILTERS.clear()
        assert shown == {filters(coordinator, query, locale)}, (query, locale)
    assert len({found.pop() for found in kept.values()}) == len(kept)  # each combination its own fields
    assert '<option selected value="new">' in filters(coordinator, "status=new", "en")
