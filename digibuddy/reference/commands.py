"""`flask refdata load`: municipalities, postcodes, languages, the default topic catalogue, and what the
areas above reference seed with it (the training modules)."""

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..extensions import db
from .loader import load_all
from .models import REGION_FLANDERS, Language, Municipality, Postcode, Topic, TopicGroup

refdata_cli = AppGroup("refdata", help="Reference data from maintained packages.")


@refdata_cli.command("load")
def load_command():
    """Load or refresh reference data (idempotent)."""
    report = load_all()
    count = lambda stmt: db.session.scalar(stmt)  # noqa: E731
    click.echo(
        f"municipalities: {count(select(func.count()).select_from(Municipality))} "
        f"({count(select(func.count()).where(Municipality.region_code == REGION_FLANDERS))} Flemish), "
        f"postcodes: {count(select(func.count()).select_from(Postcode))}, "
        f"languages: {count(select(func.count()).select_from(Language))}, "
        f"topic groups: {count(select(func.count()).select_from(TopicGroup))}, "
        f"topics: {count(select(func.count()).select_from(Topic))}"
        + "".join(f", {kind}: {total}" for kind, total in report.totals.items())
    )
    if report.changed:
        click.echo(f"created: {report.created or '-'}; updated: {report.updated or '-'}")
    else:
        click.echo("Nothing changed: reference data was already up to date.")
