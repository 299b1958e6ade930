"""`demo-data`: the demo's staff, register, project and survey, and synthetic surveys."""

from __future__ import annotations

import os
import secrets

import click
from flask import Flask
from flask.cli import with_appcontext

from coordinator.extensions import db
from coordinator.models.types import utcnow


@click.command("demo-data")
@click.option(
    "--responses",
    type=int,
    default=0,
    help="Also add a synthetic survey with this many responses (for benchmarks).",
)
@with_appcontext
def demo_data_command(responses: int) -> None:
    """Seed, then add demo staff, a fictitious register (addresses @example.org) and the
    RUS 2018 survey with answers from about two thirds of the county boards.

    The demo logins share one password: DEMO_PASSWORD, or a random one printed here.
    """
    from coordinator.demo.loading import load_demo_data
    from coordinator.demo.surveys import load_synthetic_survey
    from coordinator.services.mail.outbox import absolute_url

    password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
    now = utcnow()
    result = load_demo_data(password, now=now)
    if responses:
        synthetic = load_synthetic_survey(responses, now)
        click.echo(f"Synthetic survey {synthetic.id} with {responses} responses.")
    db.session.commit()
    click.echo(f"Demo data loaded: {result['contacts']} new contacts.")
    click.echo(f"Demo logins (password for all: {password}):")
    for user in result["staff"]:  # type: ignore[attr-defined]
        click.echo(f"  {user.email:32} {user.role}")
    if result["example_token"]:
        url = absolute_url("respond.show_form", token=result["example_token"])
        click.echo(f"Answer the RUS survey as a county board that has not answered yet: {url}")
    if result["example_token_2025"]:
        url = absolute_url("respond.show_form", token=result["example_token_2025"])
        click.echo(f"Answer the 2025 round (every kind of question) as such a board: {url}")
    if result["example_token_prefilled"]:
        url = absolute_url("respond.show_board", token=result["example_token_prefilled"])
        click.echo(
            f"Confirm the 2018 answers pre-filled in the 2025 round of the RUS survey: {url}"
        )


def register(app: Flask) -> None:
    app.cli.add_command(demo_data_command)
