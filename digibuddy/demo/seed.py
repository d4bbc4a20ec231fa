"""A believable, deterministic demo network on top of the reference data (`flask demo seed`).

Two steps: :func:`load_reference` reads the reference data as plain lists and
:func:`digibuddy.demo.plan.build_plan` decides everything from it (see there); :func:`seed_demo` then
writes the plan to the database. The plan's fixed material (names, texts) is in
:mod:`digibuddy.demo.data`.
"""

from __future__ import annotations

import click
from sqlalchemy import func, select

from ..core.time import to_local
from ..requests.enums import RequestStatus
from .data import DEMO_PASSWORD, STATUSES
from .plan import PlanError, build_plan
from .writer import PlanWriter

# ---------------------------------------------------------------------------------------------
# Reference data as plain lists
# ---------------------------------------------------------------------------------------------


def reference_present() -> bool:
    from ..extensions import db
    from ..reference.models import Language, Municipality, Postcode, Topic

    return all(
        db.session.scalar(select(model).limit(1)) is not None
        for model in (Municipality, Postcode, Language, Topic)
    )


def load_reference() -> dict:
    """The reference data the plan needs, as plain sorted lists (no ORM objects)."""
    from ..extensions import db
    from ..reference.models import Language, Municipality, Postcode, Topic, TopicGroup
    from ..volunteers.models import TrainingModule

    municipalities = [
        [nis, name, region]
        for nis, name, region in db.session.execute(
            select(Municipality.nis_code, Municipality.name_nl, Municipality.region_code).order_by(
                Municipality.nis_code
            )
        )
    ]
    postcodes = [
        [code, locality, float(lat), float(lon), nis]
        for code, locality, lat, lon, nis in db.session.execute(
            select(
                Postcode.code,
                Postcode.locality,
                Postcode.latitude,
                Postcode.longitude,
                Postcode.municipality_nis,
            ).order_by(Postcode.code)
        )
    ]
    languages = list(db.session.scalars(select(Language.code).order_by(Language.code)))
    topics = [
        [code, group]
        for code, group in db.session.execute(
            select(Topic.code, TopicGroup.code)
            .join(TopicGroup, TopicGroup.id == Topic.group_id)
            .where(Topic.active.is_(True))
            .order_by(TopicGroup.position, Topic.position, Topic.code)
        )
    ]
    training = [
        [module.code, bool(module.required), len(module.quiz or [])]
        for module in db.session.scalars(
            select(TrainingModule)
            .where(TrainingModule.active.is_(True), TrainingModule.network_id.is_(None))  # the central ones
            .order_by(TrainingModule.position, TrainingModule.code)
        )
    ]
    return {
        "municipalities": municipalities,
        "postcodes": postcodes,
        "languages": languages,
        "topics": topics,
        "training_modules": training,
    }


# ---------------------------------------------------------------------------------------------
# Writing the plan to the database
# ---------------------------------------------------------------------------------------------


def seed_demo(seed: int = 2026, if_empty: bool = False, echo=print) -> dict:
    """Seed the demo network; refuse (or, with if_empty, skip) when local networks already exist."""
    from ..core.db import utcnow
    from ..extensions import db
    from ..network.models import LocalNetwork

    if db.session.scalar(select(LocalNetwork.id).limit(1)) is not None:
        if if_empty:
            echo("Local networks already exist: demo data not seeded, nothing changed.")
            return {}
        raise click.ClickException(
            "The database already holds local networks; seeding demo data would duplicate them. "
            "Use an empty database, or pass --if-empty to skip quietly."
        )
    if not reference_present():
        from ..reference.loader import load_all

        echo("Reference data missing: loading municipalities, postcodes, languages and topics first.")
        load_all()
    now = utcnow()
    today = to_local(now).date()
    try:
        plan = build_plan(seed, load_reference(), today=today)
    except PlanError as exc:
        raise click.ClickException(str(exc)) from exc
    PlanWriter(plan, now, today).write()
    counts = _counts(plan)
    _echo_summary(counts, plan, echo)
    return counts


def _counts(plan: dict) -> dict:
    from ..accounts.models import User
    from ..events.models import NetworkEvent
    from ..extensions import db
    from ..matching.models import Offer
    from ..network.models import LocalNetwork, Location
    from ..outcomes.models import Feedback, Outcome
    from ..practices.models import Practice
    from ..requests.models import HelpRequest, Resident
    from ..scheduling.models import DropInMoment, DropInShift, HelpSession
    from ..volunteers.models import TrainingCompletion, VolunteerProfile

    def count(model):
        return db.session.scalar(select(func.count()).select_from(model))

    by_status = dict(
        db.session.execute(select(HelpRequest.status, func.count()).group_by(HelpRequest.status)).all()
    )
    vol_status = dict(
        db.session.execute(
            select(VolunteerProfile.status, func.count()).group_by(VolunteerProfile.status)
        ).all()
    )
    return {
        "networks": count(LocalNetwork),
        "locations": count(Location),
        "users": count(User),
        "volunteers": count(VolunteerProfile),
        "training_completions": count(TrainingCompletion),
        "volunteers_by_status": {str(k): v for k, v in sorted(vol_status.items())},
        "residents": count(Resident),
        "requests": count(HelpRequest),
        "requests_by_status": {s: by_status.get(RequestStatus(s), 0) for s in STATUSES},
        "offers": count(Offer),
        "sessions": count(HelpSession),
        "outcomes": count(Outcome),
        "feedback": count(Feedback),
        "dropin_moments": count(DropInMoment),
        "dropin_shifts": count(DropInShift),
        "practices": count(Practice),
        "network_events": count(NetworkEvent),
    }


def _echo_summary(counts: dict, plan: dict, echo) -> None:
    echo(
        f"Demo data seeded: {counts['networks']} local networks, {counts['locations']} locations, "
        f"{counts['users']} users, {counts['volunteers']} volunteers "
        f"({counts['training_completions']} training modules passed), {counts['residents']} residents, "
        f"{counts['requests']} requests, {counts['offers']} offers, {counts['sessions']} sessions, "
        f"{counts['outcomes']} outcomes, {counts['feedback']} feedback, {counts['dropin_moments']} drop-in "
        f"moments ({counts['dropin_shifts']} shifts), {counts['practices']} practices, "
        f"{counts['network_events']} network events."
    )
    echo("Volunteers by status: " + ", ".join(f"{k} {v}" for k, v in counts["volunteers_by_status"].items()))
    echo("Requests by status: " + ", ".join(f"{k} {v}" for k, v in counts["requests_by_status"].items()))
    echo("")
    names = {p["email"]: p["name"] for p in plan["staff"] + plan["volunteers"]}
    demo = next((v["email"] for v in plan["volunteers"] if v["demo"]), None)
    logins = [
        ("central administrator", "admin@digibuddy.demo"),
        ("coordinator (Gent)", "coordinator@gent.digibuddy.demo"),
        ("counter staff (Gent)", "counter@gent.digibuddy.demo"),
    ]
    if demo:
        logins.append(("volunteer (Gent)", demo))
    echo(f"Demo logins (password for every demo account: {DEMO_PASSWORD})")
    width = max(len(role) for role, _e in logins)
    email_width = max(len(email) for _r, email in logins)
    echo(f"  {'role'.ljust(width)}  {'e-mail'.ljust(email_width)}  name")
    for role, email in logins:
        echo(f"  {role.ljust(width)}  {email.ljust(email_width)}  {names.get(email, '')}")
    others = [p["email"] for p in plan["staff"] if p["key"].split(":")[-1] not in ("gent", "admin")]
    if others:
        echo("  Other networks: " + ", ".join(others))
