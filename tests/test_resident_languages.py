"""Every page a resident can see, in each of the six resident languages, with nothing left untranslated:
the home page, the request form (with its errors), confirmation and slips, the status page, the finder of
help points, drop-in pages, the feedback pages, the printed appointment and the error pages. Each text
looked up while a page renders is checked against the catalogue of its language
(tests/translation_guard.py), so a new string on any of these pages is checked without a list kept by
hand. The messages are checked in test_telling_residents.py the same way."""

import pytest

from digibuddy.accounts.models import Role
from digibuddy.core.i18n import RESIDENT_LOCALES
from digibuddy.extensions import db
from digibuddy.requests.models import RequestStatus
from tests.dropins_helpers import make_moment, next_date
from tests.factories import NetworkFactory, make_user
from tests.outcomes_helpers import helped_request
from tests.requests_helpers import online_form
from tests.scheduling_helpers import open_location
from tests.translation_guard import recording_translations, untranslated


@pytest.fixture
def scenario(app):
    network = NetworkFactory(name="Digibuddy Gent", postcodes=["9000"], phone="09 210 10 10")
    location = open_location(network)
    planned, session, _volunteer = helped_request(network, hours_ago=-50)
    session.location_id = location.id
    completed, done, _ = helped_request(network, status=RequestStatus.COMPLETED)
    completed.feedback_token = "feedback-token-of-a-completed-request"
    moment = make_moment(network, location)
    counter = make_user(Role.COUNTER, network)
    db.session.commit()
    return {
        "network": network,
        "planned": planned,
        "session": session,
        "completed": completed,
        "moment": moment,
        "day": next_date(moment),
        "counter": counter,
    }


def visit_as_a_resident(client, s, lang):
    """Walk every resident page the way residents do, errors included; returns the status codes seen."""
    codes = []

    def get(url, **kwargs):
        response = client.get(url, **kwargs)
        codes.append((url, response.status_code))
        return response

    def submit(url, data, form_url=None):
        response = client.submit(url, data, form_url=form_url)
        codes.append((url, response.status_code))
        return response

    get(f"/?lang={lang}")
    get("/help")
    submit("/help", online_form(postcode="9999", phone="0470", email="maria@", has_no_email=None))
    submit("/help", online_form(postcode="8000", check_postcode="1"))
    submit("/help", online_form(consent=None, topics=None, languages=None, preferred_mode="home"))
    submit("/help", online_form(email="maria@example.org", deadline="2001-01-01", first_name=""))
    assert submit("/help", online_form()).status_code == 302
    get("/help/confirmation")
    get("/help/slip")
    get("/help/slip?layout=a6")

    get("/status")
    submit("/status", {"reference": "ZZZZZZZZ", "postcode": "9000"})
    for request in (s["planned"], s["completed"]):
        submit("/status", {"reference": request.reference, "postcode": request.resident.postcode_code})
        get("/status/request")
    submit("/status", {"reference": s["planned"].reference, "postcode": "9000"})
    submit("/status/move", {}, form_url="/status/request")
    get("/status/request?move_asked=1")
    submit("/status/cancel", {"reason": "Mijn zoon helpt me al."}, form_url="/status/request")
    get("/status/request?cancelled=1")

    get("/help-points")
    get("/help-points?postcode=9000")
    get("/help-points?postcode=99")
    get("/help-points?postcode=8000")

    moment, day = s["moment"], s["day"]
    get("/drop-in")
    get("/drop-in?postcode=8000")
    get("/drop-in?postcode=9000")
    book = f"/drop-in/{moment.id}/{day.isoformat()}"
    get(book)
    submit(book, {"first_name": "", "postcode": "99", "phone": "12"})
    submit(book, {"first_name": "Olena", "postcode": "9000", "phone": "0470 99 88 77", "consent": "y"})
    get("/drop-in/booked")

    token = s["completed"].feedback_token
    get(f"/feedback/{token}")
    submit(f"/feedback/{token}", {"comment": "x" * 1001})
    answers = {"satisfaction": "5", "ease": "4", "trust": "4", "comment": "Heel goed geholpen"}
    submit(f"/feedback/{token}", answers)
    get(f"/feedback/{token}")
    get("/this-page-does-not-exist")
    get("/feedback/not-a-token")
    return codes


def visit_what_staff_print_or_show_to_a_resident(client, s, lang):
    for request in (s["planned"], s["completed"]):
        request.resident.locale = lang
    db.session.commit()
    client.login(s["counter"])
    for url in (
        f"/requests/{s['planned'].id}/slip",
        f"/requests/{s['planned'].id}/slip?layout=a6",
        f"/sessions/{s['session'].id}/print",
        f"/requests/{s['planned'].id}/feedback/resident",
    ):
        assert client.get(url).status_code == 200, url
    client.logout()


@pytest.mark.parametrize("lang", RESIDENT_LOCALES)
def test_every_resident_page_is_translated(client, scenario, lang, monkeypatch):
    with recording_translations(monkeypatch) as seen:
        codes = visit_as_a_resident(client, scenario, lang)
        visit_what_staff_print_or_show_to_a_resident(client, scenario, lang)
    assert [c for c in codes if c[1] >= 500] == []
    looked_up_in = {locale for locale, _msgid, _found in seen}
    assert lang in looked_up_in
    missing = [msgid for locale, msgid in untranslated(seen) if locale == lang]
    assert missing == [], "\n".join(missing)
