"""The logged-in menu is kept per language and roles (accounts/menu.py): every kind of user sees the menu
the template renders for them, in their language, whoever loaded a page before them in the process."""

import re

import pytest

from tests.conftest import text
from tests.factories import make_admin
from tests.routes import populate

MENU = re.compile(r'<ul class="menu">(.*?)<li>\s*<form method="post" action="/logout"', re.S)
ROLES = ("coordinator", "counter", "volunteer", "admin")


def menu_of(client, locale: str) -> str:
    return MENU.search(text(client.get(f"/account/password?lang={locale}"))).group(1)


@pytest.fixture
def clients(app, make_client):
    world = populate("9000", "Gent")
    world.people["admin"] = make_admin()
    found = {}
    for role in ROLES:
        found[role] = make_client()
        found[role].login(world.people[role])
    return found


def test_every_user_sees_the_menu_the_template_renders_for_them(app, clients):
    kept = {}
    for _round in range(2):  # the second round comes from memory
        for locale in ("nl", "fr", "en"):
            for role in ROLES:
                kept.setdefault((role, locale), set()).add(menu_of(clients[role], locale))
    for (role, locale), menus in kept.items():
        app.extensions["digibuddy_staff_menu"] = {}  # rendered anew for this one user
        assert menus == {menu_of(clients[role], locale)}, (role, locale)
    assert len({menus.pop() for menus in kept.values()}) == len(kept)  # no two kinds of user share one


def test_the_links_follow_the_roles(clients):
    coordinator = menu_of(clients["coordinator"], "en")
    volunteer = menu_of(clients["volunteer"], "en")
    admin = menu_of(clients["admin"], "en")
    assert "Audit log" in coordinator and "My profile" not in coordinator
    assert "My profile" in volunteer and "Audit log" not in volunteer
    assert "Topic catalogue" in admin and "Topic catalogue" not in coordinator
