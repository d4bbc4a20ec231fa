"""Dutch by default; the switcher, the user's preference and the browser choose the language."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from tests.conftest import text
from tests.factories import NetworkFactory, make_user

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def test_home_page_is_dutch_by_default(client):
    page = text(client.get("/"))
    assert '<html lang="nl" dir="ltr">' in page
    assert "Hulp bij je smartphone" in page


@pytest.mark.parametrize(
    "lang, phrase", [("fr", "Aide pour votre smartphone"), ("en", "Help with your smartphone")]
)
def test_switcher_changes_the_language_and_keeps_it_in_the_session(client, lang, phrase):
    page = text(client.get(f"/?lang={lang}"))
    assert f'<html lang="{lang}"' in page and phrase in page
    assert phrase in text(client.get("/"))  # kept in the session
    assert f'<html lang="{lang}"' in text(client.get("/login"))


def test_every_page_has_a_switcher_with_each_language_in_its_own_name(client):
    page = text(client.get("/login"))
    for code, name in (("nl", "Nederlands"), ("fr", "français"), ("en", "English")):
        assert f'lang="{code}" hreflang="{code}">{name}</a>' in page
    assert "?lang=ar" not in page  # staff pages are in nl, fr and en only


def test_browser_language_is_used_when_nothing_was_chosen(client):
    page = text(client.get("/", headers={"Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"}))
    assert '<html lang="fr"' in page
    page = text(client.get("/login", headers={"Accept-Language": "de-DE"}))
    assert '<html lang="nl"' in page


def test_users_preference_wins_and_the_switcher_updates_it(client):
    user = make_user(Role.COUNTER, NetworkFactory(), locale="en")
    client.login(user)
    assert '<html lang="en"' in text(client.get("/home", headers={"Accept-Language": "fr"}))
    client.get("/home?lang=fr")
    db.session.refresh(user)
    assert user.locale == "fr"
    assert '<html lang="fr"' in text(client.get("/home"))


def test_right_to_left_locale_renders_right_to_left(client):
    page = text(client.get("/?lang=ar"))
    assert '<html lang="ar" dir="rtl">' in page


def test_staff_page_falls_back_from_a_resident_only_language(client):
    client.get("/?lang=ar")
    page = text(client.get("/login", headers={"Accept-Language": "ar"}))
    assert '<html lang="nl" dir="ltr">' in page


def test_not_found_page_is_translated(client):
    assert "Pagina niet gevonden" in text(client.get("/does-not-exist"))
    assert "Page introuvable" in text(client.get("/does-not-exist?lang=fr"))
    assert client.get("/does-not-exist").status_code == 404


@pytest.mark.parametrize("locale", ["nl", "fr"])
def test_staff_catalogs_are_complete(locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        template = read_po(handle)
    missing = [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []
    assert {m.id for m in template if m.id} <= {m.id for m in catalog if m.id}, "run make update-messages"


@pytest.mark.parametrize("locale", ["nl", "fr", "en", "ar", "tr", "uk"])
def test_placeholders_survive_translation(locale):
    import re

    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\((\w+)\)s", ids[0]))
        for string in filter(None, strings):  # an empty form falls back to the English source
            assert set(re.findall(r"%\((\w+)\)s", string)) == wanted, (locale, message.id)


MESSAGE = "Help with your smartphone, computer and online services"
FRENCH = "Aide pour votre smartphone, votre ordinateur et les services en ligne"


def test_remembered_translations_follow_force_locale_in_code_and_templates(app):
    """core.i18n remembers the request's translations; a message forced into another language (a resident's
    SMS) is still looked up in that language, in code and in a template, and the page's language after."""
    from flask import render_template_string
    from flask_babel import force_locale

    from digibuddy.core.i18n import gettext, lazy_gettext, ngettext

    later = lazy_gettext(MESSAGE)
    with app.test_request_context("/?lang=nl"):
        assert gettext(MESSAGE) == "Hulp bij je smartphone, computer en online diensten"
        with force_locale("fr"):
            assert gettext(MESSAGE) == FRENCH
            assert str(later) == FRENCH
            assert render_template_string("{{ _(message) }}", message=MESSAGE) == FRENCH
            with force_locale("en"):
                assert (
                    ngettext("%(num)s digibuddy fits this choice", "%(num)s digibuddies fit this choice", 2)
                    == "2 digibuddies fit this choice"
                )
        assert gettext(MESSAGE) == "Hulp bij je smartphone, computer en online diensten"
        assert (
            render_template_string("{{ _(message) }}", message=MESSAGE)
            == "Hulp bij je smartphone, computer en online diensten"
        )
        assert str(later) == "Hulp bij je smartphone, computer en online diensten"


def test_remembered_translations_use_a_replaced_lookup(app, monkeypatch):
    """A replaced flask_babel.get_translations (the translation guard records lookups that way) is used even
    after the request looked messages up before it was replaced."""
    import flask_babel

    from digibuddy.core.i18n import gettext

    class Shouting:
        def ugettext(self, message):
            return message.upper()

    with app.test_request_context("/?lang=nl"):
        assert gettext(MESSAGE) == "Hulp bij je smartphone, computer en online diensten"
        monkeypatch.setattr(flask_babel, "get_translations", lambda: Shouting())
        assert gettext(MESSAGE) == MESSAGE.upper()


def test_code_looks_messages_up_through_core_i18n():
    """gettext, ngettext and lazy_gettext come from digibuddy.core.i18n (which remembers the request's
    translations), not from flask_babel directly."""
    import re

    package = Path(__file__).resolve().parent.parent / "digibuddy"
    direct = re.compile(r"^\s*from flask_babel import .*\b(gettext|ngettext|lazy_gettext)\b", re.M)
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "i18n.py" and direct.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
