"""Every response carries the security headers; pages with personal data are never cached; what a resident
just filed disappears from the browser once they leave it or after a few minutes."""

import re
from pathlib import Path

import pytest

from digibuddy import ROOT
from digibuddy.accounts.models import Role
from digibuddy.extensions import limiter
from tests.conftest import make_app, text
from tests.dropins_helpers import make_moment, next_date
from tests.factories import NetworkFactory, make_user
from tests.requests_helpers import online_form
from tests.scheduling_helpers import open_location
from tests.test_dropins_residents import booking_form
from tests.test_feedback import completed_request

REFERENCE_RE = re.compile(r'id="reference-code"><bdi dir="ltr">([A-Z0-9]{4}-[A-Z0-9]{4})<')


@pytest.fixture
def gent(app):
    limiter.reset()  # filing and booking are rate limited: start with no attempt used
    return NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())


def assert_security_headers(response):
    policy = directives(response)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'none'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in permissions


def test_public_staff_and_error_pages_carry_every_header(client, gent):
    public = client.get("/")
    assert public.status_code == 200
    assert_security_headers(public)
    assert "no-store" not in public.headers.get("Cache-Control", "")
    assert "Strict-Transport-Security" not in public.headers  # development: no HSTS

    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert_security_headers(missing)

    client.login(make_user(Role.COORDINATOR, gent))
    staff = client.get("/requests")
    assert staff.status_code == 200
    assert_security_headers(staff)
    assert staff.headers["Cache-Control"] == "no-store"
    forbidden = client.get("/admin/networks")
    assert forbidden.status_code == 403
    assert_security_headers(forbidden)
    assert forbidden.headers["Cache-Control"] == "no-store"


def test_a_form_that_expired_answers_with_the_headers(client, gent):
    response = client.post("/help", data={"postcode": "9000"})  # no CSRF token
    assert response.status_code == 400
    assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_carry_the_headers_and_may_be_cached(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_hsts_only_in_production_over_https(_schema):
    production = make_app(_schema, STRICT_TRANSPORT_SECURITY=True, HSTS_MAX_AGE=31536000)
    secure = production.test_client().get("/", base_url="https://digibuddy.example")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert_security_headers(secure)
    development = make_app(_schema).test_client().get("/", base_url="https://digibuddy.example")
    assert "Strict-Transport-Security" not in development.headers


def test_production_settings_turn_hsts_on(monkeypatch, tmp_path):
    from digibuddy.settings import from_environment

    monkeypatch.setenv("DIGIBUDDY_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("STRICT_TRANSPORT_SECURITY", raising=False)
    assert from_environment(tmp_path)["STRICT_TRANSPORT_SECURITY"] is True
    monkeypatch.setenv("DIGIBUDDY_ENV", "development")
    assert from_environment(tmp_path)["STRICT_TRANSPORT_SECURITY"] is False


def file_a_request(client):
    response = client.submit("/help", online_form())
    assert response.status_code == 302, text(response)[:500]


def test_resident_pages_with_a_code_or_personal_data_are_never_cached(client, gent):
    file_a_request(client)
    for url in ("/help/confirmation", "/help/slip", "/help/slip?layout=receipt"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert_security_headers(response)
    code = REFERENCE_RE.search(text(client.get("/help/confirmation"))).group(1)
    found = client.submit("/status", {"reference": code, "postcode": "9000"})
    assert found.status_code == 302 and found.headers["Cache-Control"] == "no-store"
    status = client.get("/status/request")
    assert status.status_code == 200 and status.headers["Cache-Control"] == "no-store"

    request = completed_request(gent)
    feedback = client.get(f"/feedback/{request.feedback_token}")
    assert feedback.status_code == 200 and feedback.headers["Cache-Control"] == "no-store"

    moment = make_moment(gent, open_location(gent))
    client.submit(f"/drop-in/{moment.id}/{next_date(moment).isoformat()}", booking_form())
    booked = client.get("/drop-in/booked")
    assert booked.status_code == 200 and booked.headers["Cache-Control"] == "no-store"


def test_the_receipt_slip_has_its_page_size_in_a_style_sheet(client, gent):
    file_a_request(client)
    receipt = text(client.get("/help/slip?layout=receipt"))
    assert "css/slip-receipt.css" in receipt and "<style" not in receipt
    assert "css/slip-receipt.css" not in text(client.get("/help/slip"))


def test_the_confirmation_is_gone_once_the_resident_leaves_it(client, gent):
    file_a_request(client)
    assert client.get("/help/confirmation").status_code == 200
    assert client.get("/help/slip").status_code == 200
    assert client.get("/help/confirmation?lang=fr").status_code == 200
    assert client.get("/static/css/app.css").status_code == 200
    assert client.get("/").status_code == 200  # the resident goes elsewhere: the next person sees nothing
    assert client.get("/help/confirmation").status_code == 404
    assert client.get("/help/slip").status_code == 404


def _age(client, key, minutes):
    with client.raw.session_transaction() as session:
        kept = session[key]
        session[key] = {**kept, "at": kept["at"] - minutes * 60}


def test_the_confirmation_is_gone_after_a_few_minutes(app, client, gent):
    file_a_request(client)
    assert client.get("/help/confirmation").status_code == 200
    _age(client, "confirmed_request", app.config["RESIDENT_PAGE_MINUTES"] - 1)
    assert client.get("/help/slip").status_code == 200
    _age(client, "confirmed_request", 2)
    assert client.get("/help/slip").status_code == 404
    assert client.get("/help/confirmation").status_code == 404


def test_a_booked_place_is_gone_once_the_resident_leaves_or_after_a_few_minutes(app, client, gent):
    moment = make_moment(gent, open_location(gent))
    day_url = f"/drop-in/{moment.id}/{next_date(moment).isoformat()}"
    booked = client.submit(day_url, booking_form())
    assert booked.status_code == 302, text(booked)[-3000:]
    assert client.get("/drop-in/booked").status_code == 200
    assert client.get("/drop-in").status_code == 200
    assert client.get("/drop-in/booked").status_code == 404

    client.submit(day_url, booking_form(first_name="Anna", phone="0470 99 88 77"))
    assert client.get("/drop-in/booked").status_code == 200
    _age(client, "dropin_booking", app.config["RESIDENT_PAGE_MINUTES"] + 1)
    assert client.get("/drop-in/booked").status_code == 404


def test_an_opened_status_closes_itself_when_left_alone(app, client, gent):
    file_a_request(client)
    code = REFERENCE_RE.search(text(client.get("/help/confirmation"))).group(1)
    client.submit("/status", {"reference": code, "postcode": "9000"})
    assert client.get("/status/request").status_code == 200
    # Reading it counts the minutes again from now; left alone longer, it is closed.
    _age(client, "status_request", app.config["RESIDENT_PAGE_MINUTES"] - 1)
    assert client.get("/status/request").status_code == 200
    _age(client, "status_request", app.config["RESIDENT_PAGE_MINUTES"] - 1)
    assert client.get("/status/request").status_code == 200
    _age(client, "status_request", app.config["RESIDENT_PAGE_MINUTES"] + 1)
    assert client.get("/status/request").status_code == 404


def test_a_session_holding_an_old_plain_id_shows_nothing(client, gent):
    """A browser session from before receipts expired: it holds a bare id, not an id with a time."""
    with client.raw.session_transaction() as session:
        session["confirmed_request"] = 1
        session["status_request"] = 1
    assert client.get("/help/confirmation").status_code == 404
    assert client.get("/status/request").status_code == 404


INLINE = re.compile(r"<script|<style|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)


def test_no_template_has_inline_script_or_style():
    """The Content-Security-Policy refuses inline scripts and styles: templates keep them in static files."""
    found = []
    for path in sorted(Path(ROOT, "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
