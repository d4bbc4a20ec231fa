"""Nothing anyone types or edits gets a server error: every route, asked by every role with ids past any
column's range, text where a number belongs and hostile query values; every form a role is shown, posted
with fields missing, far too long or malformed. Walks the app's URL map and the forms its pages render, so a
route or form added later is walked too. Hypothesis draws the values; the examples are few and the walk is
bounded, so both databases together take a couple of minutes."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import digibuddy
from digibuddy.core.scoping import MAX_ID
from digibuddy.extensions import limiter
from tests.routes import LOCAL_ROLES, app_routes, central_admin, populate

ROLES = ("anonymous", *LOCAL_ROLES, "admin")
# Ids an edited URL may hold: past PostgreSQL's INTEGER, past BIGINT, zero, negative, text.
HOSTILE_IDS = st.one_of(
    st.sampled_from([MAX_ID + 1, 2**63, 10**20, 0, -1, "abc", "1e9", "0x10", " 7", "٣", "1.5"]),
    st.integers(min_value=-(2**70), max_value=2**70),
)
HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "99999999999999999999",
            str(2**63),
            "2026-13-45",
            "99999-01-01",
            "0000-00-00",
            "abc",
            "x" * 5000,
            "9" * 400,
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\u202eevil",
            "%00",
            "nan",
            "inf",
            "1e308",
        ]
    ),
    st.text(max_size=40),
    st.integers().map(str),
)
# Every query parameter a view reads (request.args.get("name")), besides the fields of GET forms.
QUERY_NAMES = sorted(
    set(
        re.findall(
            r'request\.args\.get(?:list)?\(\s*"(\w+)"',
            "\n".join(p.read_text() for p in Path(digibuddy.__file__).parent.rglob("*.py")),
        )
    )
    | {"page", "period", "status", "network", "topic", "group", "channel", "day", "week", "postcode", "kind"}
)
# Forms that end what the walk needs: logging out, or switching on a second log-in step.
SKIP_ACTIONS = {"/logout"}
FUZZ_SETTINGS = settings(
    max_examples=2,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: a failure lists every faulty request at once
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


# The topic catalogue is reference data every test shares: the walk does not retire, merge or rename it.
CATALOGUE = "/admin/catalogue"


@dataclass
class Form:
    action: str
    method: str
    fields: dict  # name -> list of candidate values (the page's own: value attributes, options)


class FormParser(HTMLParser):
    def __init__(self, page_url):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or self.page_url
            self._form = Form(action, (attrs.get("method") or "get").lower(), {})
            self.forms.append(self._form)
        elif (
            self._form is not None and tag in ("input", "select", "textarea", "button") and attrs.get("name")
        ):
            values = self._form.fields.setdefault(attrs["name"], [])
            if tag == "input" and attrs.get("value") is not None:
                values.append(attrs["value"])
            if tag == "select":
                self._select = values
        elif tag == "option" and self._select is not None and attrs.get("value") is not None:
            self._select.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_on(html: str, page_url: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    return parser.forms


@pytest.fixture
def world(app, make_client):
    """One network, a client logged in for each role, and the CSRF token each client's forms carry."""
    app.config["PROPAGATE_TEST_ERRORS"] = (
        False  # a fault answers 500 (and is logged): the walk lists them all
    )
    ours = populate("9000", "Gent")
    clients = {}
    for role in ROLES:
        client = make_client()
        if role == "admin":
            client.login(central_admin())
        elif role != "anonymous":
            client.login(ours.people[role])
        clients[role] = (client, client.csrf_token("/login" if role == "anonymous" else "/home"))
    yield ours, clients
    limiter.reset()  # the walk hits every rate limit; the next test starts with none used


def server_errors(found):
    """Fail with every request that answered 5xx, collected by `_check`."""
    assert not found, "server errors:\n" + "\n".join(found)


def _check(response, what, found):
    if response.status_code >= 500:
        found.append(f"{what} -> {response.status_code}")


def _walk_routes(app, world, ids, texts, query):
    """Every route as every role: object arguments take the real object and the `ids` in turn, other
    arguments their valid value and the `texts` in turn; every URL carries `query`."""
    ours, clients = world
    found = []
    routes = app_routes(app)
    for role in ROLES:
        client, token = clients[role]
        for number, route in enumerate(routes):
            values = {}
            for name in route.arguments:
                if name in route.choices:
                    values[name] = route.choices[name][0]
                elif name.endswith("_id"):
                    values[name] = ids[number % len(ids)] if number % 2 else ours.ids[name]
                else:
                    values[name] = (
                        texts[number % len(texts)] if number % 3 == 1 else ours.values.get(name, "x")
                    )
            url = route.url(values, query)
            for method in route.methods:
                if method == "POST" and route.rule.startswith(CATALOGUE):
                    continue
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data={"csrf_token": token, **query})
                _check(response, f"{role}: {method} {url}", found)
    server_errors(found)


def test_the_classic_hostile_urls_answer_without_a_server_error(app, world):
    """Each route by each role: an id just past PostgreSQL's INTEGER, page=99999999999999999999 (the
    examples below draw 2^63, text, zero and the rest)."""
    huge = "99999999999999999999"
    _walk_routes(app, world, [MAX_ID + 1], [huge], {"page": huge, "weeks": huge, "year": "-1"})


@FUZZ_SETTINGS
@given(
    ids=st.lists(HOSTILE_IDS, min_size=1, max_size=4),
    texts=st.lists(HOSTILE_TEXT, min_size=1, max_size=4),
    query=st.dictionaries(st.sampled_from(QUERY_NAMES), HOSTILE_TEXT, max_size=4),
)
def test_every_route_survives_hostile_ids_and_query_values(app, world, ids, texts, query):
    _walk_routes(app, world, ids, texts, query)


def _every_form(app, world):
    """(role, form) for every form every role is shown on a page of its own network."""
    ours, clients = world
    seen, found = set(), []
    for role in ROLES:
        client, _token = clients[role]
        for route in app_routes(app, methods=("GET",)):
            response = client.get(ours.url(route))
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for form in forms_on(response.get_data(as_text=True), urlsplit(ours.url(route)).path):
                path = urlsplit(form.action).path
                key = (role, form.method, path, tuple(sorted(form.fields)))
                if path in SKIP_ACTIONS or path.startswith(CATALOGUE) or key in seen:
                    continue
                seen.add(key)
                found.append((role, form))
    return found


@pytest.fixture
def forms(app, world):
    """Found once, before any example: the examples then draw for the same forms every time."""
    found = _every_form(app, world)
    assert len(found) > 40, len(found)
    return found


HOW = st.sampled_from(("keep", "missing", "oversized", "malformed"))


@FUZZ_SETTINGS
@given(
    hows=st.lists(HOW, min_size=5, max_size=12),
    malformed=st.lists(st.one_of(HOSTILE_TEXT, st.just("x" * 100_000)), min_size=1, max_size=4),
    length=st.sampled_from((501, 5_000, 100_000)),
)
def test_every_form_survives_missing_oversized_and_malformed_fields(world, forms, hows, malformed, length):
    """Field j of form k is kept, left out, made `length` long or replaced by a malformed value, as
    `hows[(k + j) % len(hows)]` says: each example gives every form a different mix."""
    _ours, clients = world
    found = []
    for number, (role, form) in enumerate(forms):
        client, token = clients[role]
        fields = {}
        names = [name for name in sorted(form.fields) if name != "csrf_token"]
        for index, name in enumerate(names):
            how, values = hows[(number + index) % len(hows)], form.fields[name]
            if how == "keep" and values:
                fields[name] = values[(number + index) % len(values)]
            elif how == "oversized":
                fields[name] = "9" * length
            elif how == "malformed":
                fields[name] = malformed[(number + index) % len(malformed)]
        what = f"{role}: {form.method.upper()} {form.action} {sorted(fields)}"
        if form.method == "post":
            response = client.post(form.action, data={"csrf_token": token, **fields})
        else:
            response = client.get(form.action, query_string=fields)
        _check(response, what, found)
    server_errors(found)
