"""In real Chromium on a 320 px phone: a coordinator writes to the digibuddies who speak Arabic, sees who
gets it before sending, sends it and reads who got it; a digibuddy takes a shift asked cover for, the next
one sees it is taken. Nothing scrolls sideways, and the pages pass the WCAG 2.1 AA checks."""

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from digibuddy.outreach import services
from digibuddy.volunteers.models import LanguageLevel
from tests.browser import content, log_in
from tests.dropins_helpers import make_moment, next_date
from tests.factories import NetworkFactory, make_user, make_volunteer

pytestmark = pytest.mark.browser
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def phone(chromium, live_server):
    # Pages carry no script of their own; axe and the layout check run through Playwright's evaluate.
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def check(page, where):
    from axe_playwright_python.sync_playwright import Axe

    sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert sideways <= 0, (where, sideways)
    found = Axe().run(page, options=WCAG).response["violations"]
    assert found == [], (where, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found])


def helper(network, name, languages, locale="en"):
    profile = make_volunteer(network, languages=languages)
    profile.user.name, profile.user.locale = name, locale
    db.session.commit()
    return profile


def test_a_coordinator_writes_to_a_group_and_a_digibuddy_takes_cover(phone, chromium, live_server):
    gent = NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    amal = helper(gent, "Amal Haddad", (("ar", LanguageLevel.NATIVE), ("nl", LanguageLevel.FLUENT)))
    bart = helper(gent, "Bart Claes", (("nl", LanguageLevel.NATIVE),))
    coordinator = make_user(Role.COORDINATOR, gent, locale="en")

    log_in(phone, coordinator)
    phone.goto("/volunteer-messages/new?lang=en")
    check(phone, "new")
    phone.get_by_role("button", name="Show who gets it").click()
    assert "Write a subject." in content(phone)
    check(phone, "errors")
    phone.get_by_label("Arabic").check()
    phone.locator("#subject_nl").fill("Vertalers gezocht")
    phone.locator("#body_nl").fill("Wie helpt op 12 januari bij een infosessie in het Arabisch?")
    phone.get_by_role("button", name="Show who gets it").click()
    assert "1 digibuddy fits this choice" in content(phone)
    check(phone, "preview")
    phone.get_by_role("button", name="Send to 1 digibuddy").click()
    assert "Your message is on its way to 1 digibuddy." in content(phone)
    assert "Amal Haddad" in content(phone) and "Bart Claes" not in content(phone)
    check(phone, "detail")
    assert list(db.session.scalars(select(OutboxMessage.recipient))) == [amal.user.email]

    moment = make_moment(gent, needed=1, title="Digicafé")
    day = next_date(moment)
    phone.goto(f"/dropins/{moment.id}/{day.isoformat()}/ask-cover?lang=en")
    check(phone, "ask cover")
    phone.get_by_role("button", name="Ask for cover").click()
    assert "2 digibuddies are asked to help" in content(phone)
    phone.get_by_role("button", name="Log out").click()

    log_in(phone, amal.user)
    phone.goto(f"/dropins/{moment.id}/{day.isoformat()}/cover?lang=en")
    check(phone, "cover open")
    phone.get_by_role("button", name="I take this shift").click()
    assert "You are signed up. Thank you!" in content(phone)
    phone.get_by_role("button", name="Log out").click()

    log_in(phone, bart.user)
    phone.goto(f"/dropins/{moment.id}/{day.isoformat()}/cover?lang=en")
    assert "Already taken: someone else has signed up." in content(phone)
    assert phone.get_by_role("button", name="I take this shift").count() == 0
    check(phone, "cover taken")
    assert len(services.cover_candidates(moment, day)) == 1
