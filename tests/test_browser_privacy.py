"""In real Chromium without JavaScript: a resident asks on the status page, in Arabic, to delete their data;
the coordinator finds the question on the home page, prints everything held, and erases it with a reason.
Every page on the way meets WCAG 2.1 AA."""

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from digibuddy.privacy.models import AskStatus, DataAsk
from digibuddy.requests.models import Resident
from tests.browser import content
from tests.factories import PASSWORD, NetworkFactory, make_user
from tests.privacy_helpers import SECRETS, full_resident
from tests.test_accessibility import WCAG

pytestmark = pytest.mark.browser


def accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options=WCAG).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def test_a_resident_asks_to_delete_their_data_and_the_coordinator_erases_it(chromium, live_server):
    gent = NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])
    request, _session, _volunteer = full_resident(gent)
    coordinator = make_user(Role.COORDINATOR, gent, locale="en")

    resident = chromium.new_context(base_url=live_server.url, locale="ar").new_page()
    resident.goto("/status?lang=ar")
    resident.fill("#reference", request.reference)
    resident.fill("#postcode", "9000")
    resident.locator("form button[type=submit]").click()
    assert resident.url.endswith("/status/request")
    assert SECRETS["first_name"] not in content(resident)
    resident.get_by_role("button", name="أطلب حذف بياناتي").click()
    assert "وصلنا طلبك" in content(resident)
    assert accessible(resident) == []

    staff = chromium.new_context(base_url=live_server.url, locale="en-GB").new_page()
    staff.goto("/login?lang=en")
    staff.get_by_label("E-mail address").fill(coordinator.email)
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.get_by_role("link", name="questions about personal data").click()
    assert accessible(staff) == []
    assert SECRETS["first_name"] in content(staff)
    staff.goto(f"/residents/{request.resident_id}/data")
    assert SECRETS["comment"] in content(staff)
    assert accessible(staff) == []
    staff.goto("/residents/asks")
    staff.get_by_role("link", name="Erase the data").click()
    assert accessible(staff) == []
    staff.get_by_role("button", name="Erase the data for good").click()
    assert "Write down why the data is erased." in content(staff)
    assert accessible(staff) == []
    staff.get_by_label("Why is the data erased?").fill("Asked on the status page")
    staff.get_by_role("button", name="Erase the data for good").click()
    assert "The resident's personal data is erased." in content(staff)

    db.session.expire_all()
    assert db.session.get(Resident, request.resident_id).anonymised_at is not None
    assert db.session.scalar(select(DataAsk.status)) == AskStatus.DONE
    resident.reload()
    assert SECRETS["first_name"] not in content(resident)
