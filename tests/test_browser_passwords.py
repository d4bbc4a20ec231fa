"""In a real browser, without JavaScript: forgetting one's password, choosing a new one from the e-mailed
link, and logging in with it; the link works once."""

import re

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from digibuddy.notifications.models import OutboxMessage
from tests.browser import content
from tests.factories import NetworkFactory, make_user

pytestmark = pytest.mark.browser


def test_counter_staff_forgets_their_password_and_chooses_a_new_one(page):
    clerk = make_user(Role.COUNTER, NetworkFactory(name="Digibuddy Gent"), name="Kim Baert", locale="en")
    page.goto("/login?lang=en")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail address").fill(clerk.email)
    page.get_by_role("button", name="Send me a link").click()
    assert "If there is an account with this e-mail address" in content(page)

    db.session.expire_all()
    body = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == clerk.email)).body
    path = re.search(r"/password/reset/[A-Za-z0-9_-]+", body).group(0)
    page.goto(path)
    page.get_by_label("New password").fill("a-fresh-password-2026")
    page.get_by_label("Type the password again").fill("a-fresh-password-2026")
    page.get_by_role("button", name="Save the new password").click()
    assert "Your new password is saved. Log in with it." in content(page)

    page.get_by_label("E-mail address").fill(clerk.email)
    page.get_by_label("Password").fill("a-fresh-password-2026")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hello Kim"
    page.goto(path)
    assert "This link does not work any more" in content(page)
