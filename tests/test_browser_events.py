"""In a real browser, without JavaScript: a coordinator plans an event (a mistake first, answered on its
field), a digibuddy of the network registers, and the event pages meet WCAG 2.1 AA."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.core.time import local_today
from digibuddy.events.models import EventRegistration, NetworkEvent, RegistrationStatus
from digibuddy.extensions import db
from tests.browser import content, log_in
from tests.factories import NetworkFactory, make_user, make_volunteer
from tests.test_accessibility import WCAG
from tests.test_browser_volunteers import log_out

pytestmark = pytest.mark.browser


def axe_violations(page) -> list:
    """axe-core is a script: it checks the page as served, in the same browser with JavaScript on."""
    from axe_playwright_python.sync_playwright import Axe

    context = page.context.browser.new_context(locale="nl-BE")
    context.add_cookies(page.context.cookies())
    checked = context.new_page()
    origin = "/".join(page.url.split("/")[:3])
    # The page as the person sees it (also a form sent back with errors), with its style sheets.
    checked.set_content(content(page).replace("<head>", f'<head><base href="{origin}/">', 1))
    found = Axe().run(checked, options=WCAG).response["violations"]
    context.close()
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def test_a_coordinator_plans_an_event_and_a_digibuddy_registers(page):
    gent = NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    coordinator = make_user(Role.COORDINATOR, gent, name="Lotte Peeters", locale="en")
    volunteer = make_volunteer(gent)
    volunteer.user.locale = "en"
    db.session.commit()
    day = local_today() + timedelta(days=14)

    log_in(page, coordinator)
    page.get_by_role("link", name="Events", exact=True).click()
    page.get_by_role("link", name="Events you organise").click()
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Kind of event").select_option("info_session")
    page.get_by_label("Title").fill("Infosessie itsme")
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("End time").fill("13:00")
    page.get_by_label("Place", exact=True).fill("Stadskantoor Gent")
    page.get_by_label("Digibuddies").check()
    page.get_by_label("Number of places").fill("12")
    page.get_by_role("button", name="Save").click()
    summary = page.get_by_role("alert")
    assert "The event must end after it starts." in summary.inner_text()
    assert axe_violations(page) == []
    summary.get_by_role("link", name="The event must end after it starts.").click()
    assert page.url.endswith("#ends_time")
    assert page.get_by_label("Title").input_value() == "Infosessie itsme"  # nothing lost
    page.get_by_label("End time").fill("16:00")
    page.get_by_role("button", name="Save").click()
    assert "The event is saved." in content(page)
    assert axe_violations(page) == []
    event = db.session.scalar(select(NetworkEvent))
    assert event.network_id == gent.id
    log_out(page)

    log_in(page, volunteer.user)
    page.get_by_role("link", name="Events", exact=True).click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Infosessie itsme").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Register").click()
    assert "You are registered." in content(page)
    registration = db.session.scalar(select(EventRegistration))
    assert registration.status == RegistrationStatus.REGISTERED and registration.user_id == volunteer.user_id
    with page.expect_download() as download:
        page.get_by_role("link", name="Add it to your calendar (.ics)").click()
    assert download.value.suggested_filename == "event.ics"
