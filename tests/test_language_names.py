"""Language names come from Babel's CLDR data, which is slow to read (each language's own name needs that
language's whole file): the languages the forms offer first are named once, at start-up, and no page reads
CLDR data for a name after that. How much faster a new worker's first page is, benchmarks/pages.py shows."""

import pytest

from digibuddy.core import i18n
from digibuddy.core.i18n import RESIDENT_LOCALES
from digibuddy.reference.loader import LANGUAGE_PRIORITY
from digibuddy.warmup import warm_up
from tests.conftest import text
from tests.factories import NetworkFactory
from tests.matching_helpers import helper


class NoCldrReading:
    """Stands in for babel.Locale in core.i18n: reading CLDR data for a name fails the test."""

    @staticmethod
    def parse(identifier, *args, **kwargs):
        raise AssertionError(f"a page read CLDR data for the language {identifier!r} after start-up")


@pytest.fixture
def warmed(app, monkeypatch):
    """A process that just started: no name known yet, then the warm-up, then no more CLDR reading."""
    monkeypatch.setattr(i18n, "_NATIVE_NAMES", {})
    i18n._language_names_in.cache_clear()
    warm_up(app)
    monkeypatch.setattr(i18n, "Locale", NoCldrReading)
    yield app
    i18n._language_names_in.cache_clear()


def test_the_warm_up_names_each_offered_language_in_itself():
    i18n._NATIVE_NAMES.clear()
    i18n.remember_native_names(LANGUAGE_PRIORITY)
    assert set(i18n._NATIVE_NAMES) == set(LANGUAGE_PRIORITY)
    assert i18n.native_language_name("ar") == "العربية"
    assert i18n.native_language_name("ti") == "ትግርኛ"
    assert i18n.native_language_name("ber") == "ber"  # no CLDR data: the code, not an error


@pytest.mark.parametrize("locale", RESIDENT_LOCALES)
def test_the_request_form_needs_no_cldr_reading_after_start_up(warmed, client, locale):
    page = text(client.get(f"/help?lang={locale}"))
    assert '<span lang="ar" dir="auto">العربية</span>' in page or locale == "ar"
    assert '<span lang="uk" dir="auto">українська</span>' in page or locale == "uk"


def test_the_profile_form_names_offered_languages_in_themselves_and_the_others_here(warmed, client):
    volunteer = helper(NetworkFactory(postcodes=["9000"]))
    client.login(volunteer.user)
    page = text(client.get("/volunteers/profile?lang=nl"))
    assert ">Arabisch — العربية</option>" in page
    assert ">Tigrinya — ትግርኛ</option>" in page
    # ~300 other languages are named in the page's language only: naming each in itself would read
    # hundreds of megabytes of CLDR data for the first volunteer of every worker.
    assert ">Zoeloe</option>" in page
    assert "isiZulu" not in page
