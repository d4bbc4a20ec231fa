"""A query budget per key page: the number of SQL statements a page runs stays within a fixed budget and
does not grow with the data (one statement per row shown is an N+1 query: fast in a test, slow on a
network with thousands of requests). Speed itself is measured in benchmarks/pages.py."""

import contextlib

import pytest
from sqlalchemy import event, func, select

from digibuddy.extensions import db
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.outcomes.models import Outcome, OutcomeResult
from digibuddy.requests.models import HelpMode, HelpRequest, RequestStatus
from digibuddy.scheduling.models import SessionStatus
from digibuddy.volunteers.models import TrainingCompletion, TrainingModule, TrainingModuleVersion
from tests.factories import make_admin
from tests.matching_helpers import helper, make_request
from tests.outcomes_helpers import helped_request
from tests.routes import populate

# Statements each page may run at most, whatever the data (a page that needs more is changed on purpose,
# with its budget).
BUDGETS = {
    "home page": 3,
    "request form": 6,
    "status look-up": 2,
    "become a digibuddy": 2,
    "coordinator home": 6,  # the single figures in one statement
    "request queue": 10,
    "request detail": 13,  # the resident, their place, who registered it and the log's actors joined to it
    # one load of the volunteers for candidates and near misses; their details, and the request's, in one
    # statement each
    "matching suggestions": 18,
    # from the roll-ups: one statement for every additive figure, four for the waiting times (the day
    # buckets holding each quantile's ranks, then only their hours, then only those hours' tens of minutes,
    # then only those tens' minutes: two more than reading every minute of the buckets, which for the first
    # offer was nearly every minute row), one for the active volunteers, then what describes today (open
    # requests, volunteers' status, events) and advice; a network's own volunteer flow is its whole
    "local dashboard": 18,
    # every network's figures: each waiting-time step per network and whole at once, and the volunteers of
    # every network counted once besides each network's
    "network dashboard": 19,
    "volunteer home": 12,  # whether the profile lacks languages, topics or free times in one statement
}
# Statements a page may add as the data grows 4x (a query per row shown adds one per row: 6 or more).
SLACK = 2


@contextlib.contextmanager
def counting_statements():
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def grow(world, count: int) -> None:
    """`count` more of what a working network holds: digibuddies who fit the waiting requests, new requests,
    offers waiting for the world's digibuddy, requests being helped with a planned session, finished ones
    with an outcome, and required training modules of the network that the world's digibuddy passed."""
    network = world.network
    ours = world.people["volunteer"].volunteer_profile
    for n in range(count):
        quiz = [{"question": {"nl": "?"}, "options": [{"nl": "ja"}, {"nl": "nee"}], "answers": [0]}]
        number = db.session.scalar(select(func.count(TrainingModule.id)))
        module = TrainingModule(
            code=f"grown-{number}",
            network_id=network.id,
            titles={"nl": f"Module {number}"},
            bodies={"nl": "Tekst."},
            quiz=quiz,
            required=True,
        )
        db.session.add(module)
        db.session.flush()
        version = TrainingModuleVersion(
            module_id=module.id,
            number=1,
            titles=module.titles,
            bodies=module.bodies,
            quiz=quiz,
            material=True,
        )
        db.session.add(version)
        db.session.flush()
        db.session.add(TrainingCompletion(volunteer_id=ours.id, module_id=module.id, version_id=version.id))
        volunteer = helper(network, postcode="9000")
        make_request(network, mode=HelpMode.LOCATION, languages=("nl", "ar"))
        offered = make_request(network, mode=HelpMode.LOCATION, languages=("nl",))
        offered.status = RequestStatus.OFFERED
        db.session.add(Offer(request_id=offered.id, volunteer_id=ours.id, status=OfferStatus.PENDING))
        helped_request(network, volunteer=ours if n % 2 else volunteer, hours_ago=-24 * (n + 1))
        done, session, _ = helped_request(network, volunteer=volunteer, status=RequestStatus.COMPLETED)
        session.status = SessionStatus.DONE
        db.session.add(Outcome(session_id=session.id, result=OutcomeResult.SOLVED, minutes_spent=45))
    db.session.commit()


def waiting_request(world) -> int:
    """The oldest new request: the one the matching page has candidates for."""
    return db.session.scalar(
        select(HelpRequest.id)
        .where(HelpRequest.network_id == world.network.id, HelpRequest.status == RequestStatus.NEW)
        .order_by(HelpRequest.id)
    )


def page_urls(world) -> dict[str, tuple[str | None, str]]:
    """Each key page: (who looks at it, its URL)."""
    request_id = world.ids["request_id"]
    return {
        "home page": (None, "/"),
        "request form": (None, "/help"),
        "status look-up": (None, "/status"),
        "become a digibuddy": (None, "/volunteers/become"),
        "coordinator home": ("coordinator", "/home"),
        "request queue": ("coordinator", "/requests"),
        "request detail": ("coordinator", f"/requests/{request_id}"),
        "matching suggestions": ("coordinator", f"/requests/{waiting_request(world)}/matching"),
        "local dashboard": ("coordinator", "/reports/local"),
        "volunteer home": ("volunteer", "/home"),
        "network dashboard": ("admin", "/reports/network"),
    }


def statements_per_page(world, make_client) -> dict[str, int]:
    clients = {None: make_client()}
    people = {**world.people, "admin": world.people.get("admin") or make_admin()}
    world.people.update(people)
    for role in ("coordinator", "volunteer", "admin"):
        clients[role] = make_client()
        clients[role].login(people[role])
    found = {}
    for name, (role, url) in page_urls(world).items():
        client = clients[role]
        client.get(url)  # once before counting: what a page caches per process is not its cost per load
        # The tests keep one database session open; a request in production starts with nothing loaded.
        db.session.expire_all()
        with counting_statements() as statements:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        found[name] = len(statements)
    return found


@pytest.fixture
def world(app):
    return populate("9000", "Gent")


def test_key_pages_stay_within_their_query_budget_and_do_not_grow_with_the_data(world, make_client):
    grow(world, 2)
    small = statements_per_page(world, make_client)
    grow(world, 6)
    large = statements_per_page(world, make_client)
    over = {name: count for name, count in large.items() if count > BUDGETS[name]}
    assert not over, f"over budget: {over} (budgets {BUDGETS})"
    grew = {name: (small[name], large[name]) for name in small if large[name] > small[name] + SLACK}
    assert not grew, f"statements grow with the data (N+1), as (small, 4x the data): {grew}"
