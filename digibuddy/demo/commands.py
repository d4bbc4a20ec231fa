"""`flask demo seed`: a believable, deterministic demo network on top of the reference data."""

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
@click.option(
    "--seed", default=2026, show_default=True, help="Random seed; the same seed gives the same data."
)
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds local networks.")
def seed_command(seed, if_empty):
    """Create demo networks, locations, staff, volunteers, residents, requests, sessions and outcomes."""
    from .seed import seed_demo

    seed_demo(seed=seed, if_empty=if_empty, echo=click.echo)
