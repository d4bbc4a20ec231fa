"""In real Chromium: the main journeys of residents and staff break no rule of the Content-Security-Policy.
The browser reports each violation both as a `securitypolicyviolation` event and on its console; the test
listens to both, and first checks that it hears a violation when one happens."""

import pytest

from digibuddy.accounts.models import Role
from digibuddy.core.security import CONTENT_SECURITY_POLICY
from tests.browser import log_in
from tests.factories import NetworkFactory, make_admin, make_user
from tests.outcomes_helpers import helped_request
from tests.requests_helpers import any_topic_ids
from tests.scheduling_helpers import open_location

pytestmark = pytest.mark.browser

# Runs before any page script: keeps every violation the page reports (the pages have no script of their
# own; this one is injected by the browser driver, which the policy does not govern).
LISTENER = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


class Watcher:
    """A browser tab with JavaScript on (only for the listener) that collects CSP violations."""

    def __init__(self, chromium, live_server):
        self.context = chromium.new_context(base_url=live_server.url, java_script_enabled=True, locale="en")
        self.context.add_init_script(LISTENER)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.console = []
        self.page.on(
            "console",
            lambda message: (
                self.console.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        self.seen = []

    def goto(self, url):
        response = self.page.goto(url)
        assert response is not None and response.status == 200, (url, response.status)
        self.check(url)
        return response

    def check(self, where):
        self.page.wait_for_load_state("load")
        found = self.page.evaluate("window.__violations || []")
        self.seen.extend(f"{where}: {violation}" for violation in found)

    def close(self):
        self.context.close()


@pytest.fixture
def watcher(chromium, live_server):
    watcher = Watcher(chromium, live_server)
    yield watcher
    watcher.close()


def _policy() -> str:
    return "; ".join(f"{name} {value}" for name, value in CONTENT_SECURITY_POLICY.items())


def test_the_listener_hears_a_violation(watcher, live_server):
    """A page under the same policy with an inline style and script: the watcher must report both."""
    watcher.page.route(
        f"{live_server.url}/csp-probe",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": _policy()},
            body='<p style="color: red">x</p><script>document.title = "ran";</script>',
        ),
    )
    watcher.goto("/csp-probe")
    assert any("style-src" in item for item in watcher.seen), watcher.seen
    assert any("script-src" in item for item in watcher.seen), watcher.seen
    assert watcher.page.title() != "ran"
    assert watcher.console, "the console reports the violation too"


def test_main_journeys_break_no_rule_of_the_policy(watcher, chromium, live_server):
    gent = NetworkFactory(name="Digibuddy Gent", phone="09 210 10 10", postcodes=["9000"])
    open_location(gent)
    request, session, volunteer = helped_request(gent)
    coordinator = make_user(Role.COORDINATOR, gent, locale="en")
    counter = make_user(Role.COUNTER, gent, locale="en")
    page = watcher.page

    # A resident asks for help online, prints the slip and checks the status.
    for url in ("/", "/help-points?postcode=9000", "/drop-in", "/help?lang=ar", "/status"):
        watcher.goto(url)
    watcher.goto("/help?lang=en")
    page.check(f"#topic-{any_topic_ids(1)[0]}")
    page.check("input[name=preferred_mode][value=location]")
    page.fill("#postcode", "9000")
    page.check("input[name=languages][value=nl]")
    page.check("#window-1-morning")
    page.fill("#first_name", "Fatima")
    page.fill("#phone", "0470 12 34 56")
    page.check("#has_no_email")
    page.check("#consent")
    page.locator("form button[type=submit]:not([name=check_postcode])").click()
    watcher.check("after filing")
    assert page.url.endswith("/help/confirmation")
    code = page.locator("#reference-code").inner_text()
    for url in ("/help/slip", "/help/slip?layout=receipt"):
        watcher.goto(url)
    watcher.goto("/status")
    page.fill("#reference", code)
    page.fill("#postcode", "9000")
    page.locator("form button[type=submit]").click()
    watcher.check("status")
    assert page.url.endswith("/status/request")

    # Staff: the coordinator's and the counter's working pages, figures with their charts, log-in security.
    for user, urls in (
        (
            coordinator,
            (
                "/home",
                "/requests",
                f"/requests/{request.id}",
                f"/sessions/{session.id}",
                f"/sessions/{session.id}/print",
                "/volunteers/manage",
                f"/volunteers/manage/{volunteer.id}",
                "/dropins",
                "/reports/local",
                "/outbox/",
                "/account/two-factor",
            ),
        ),
        (counter, ("/home", "/intake", "/intake/new", f"/requests/{request.id}/slip", "/dropins/counter")),
        (volunteer.user, ("/home", "/volunteers/profile", "/dropins/shifts", "/outcomes")),
        (make_admin(locale="en"), ("/admin/networks", "/reports/network", "/admin/catalogue", "/outbox/")),
    ):
        watcher.context.clear_cookies()
        log_in(page, user)
        watcher.check(f"log-in of {user.email}")
        for url in urls:
            watcher.goto(url)
    assert not watcher.seen, "\n".join(watcher.seen)
    assert not watcher.console, "\n".join(watcher.console)
