"""The flask commands: `flask --app coordinator <command> --help` describes each."""

from __future__ import annotations

import os
import secrets
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import Flask

from coordinator.extensions import db
from coordinator.mail.commands import add_tick_task
from coordinator.mail.commands import register as register_mail_commands
from coordinator.models.types import utcnow
from coordinator.register.commands import register as register_register_commands
from coordinator.results.commands import register as register_results_commands


def _scheduled_reminders(now: datetime) -> int:
    from coordinator.services.reminders import send_scheduled_reminders

    return send_scheduled_reminders(now)


def register_commands(app: Flask) -> None:
    register_register_commands(app)
    register_mail_commands(app)
    register_results_commands(app)
    add_tick_task(app, _scheduled_reminders)
    if app.config["RETENTION_MONTHS"] > 0:
        from coordinator.services.personal_data import apply_retention

        add_tick_task(app, lambda now: apply_retention(app.config["RETENTION_MONTHS"], now=now))

    @app.cli.command("seed")
    def seed_command() -> None:
        """Create the 21 county boards, the SNI 2007 list and the standard networks.

        Running it again changes nothing.
        """
        from coordinator.services.seed import seed_reference_data

        created = seed_reference_data()
        db.session.commit()
        click.echo(
            "Seeded: {organisations} organisations, {networks} networks, "
            "{option_lists} option lists.".format(**created)
        )

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option(
        "--role", type=click.Choice(["admin", "coordinator", "viewer"]), default="coordinator"
    )
    @click.option("--name", default="", help="Full name (defaults to the e-mail address).")
    @click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
    def create_user_command(email: str, role: str, name: str, password_stdin: bool) -> None:
        """Create a staff account with EMAIL and ROLE; the password is prompted for."""
        from coordinator.services.users import UserError, create_user

        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user = create_user(email, name, role, password)
        except UserError as exc:
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
        click.echo(f"Created {user.email} ({user.role}).")

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(path: Path) -> None:
        """Write a consistent copy of the database to PATH while the app keeps running."""
        from coordinator.services.backup import BackupError, backup_database

        try:
            backup_database(app.config["SQLALCHEMY_DATABASE_URI"], path)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Backup written to {path}.")

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(path: Path, yes: bool) -> None:
        """Replace the database's contents with the backup in PATH."""
        from coordinator.services.backup import BackupError, restore_database

        if not yes:
            click.confirm("This replaces everything in the database. Continue?", abort=True)
        db.session.remove()
        try:
            restore_database(app.config["SQLALCHEMY_DATABASE_URI"], path)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Restored from {path}.")

    @app.cli.command("apply-retention")
    def apply_retention_command() -> None:
        """Erase respondents' personal data from surveys closed RETENTION_MONTHS ago."""
        from coordinator.services.personal_data import apply_retention

        months = app.config["RETENTION_MONTHS"]
        if months <= 0:
            click.echo("RETENTION_MONTHS is not set; nothing erased.")
            return
        cleared = apply_retention(months, now=utcnow())
        db.session.commit()
        click.echo(f"Erased respondent details from {cleared} responses.")

    @app.cli.command("demo-data")
    @click.option(
        "--responses",
        type=int,
        default=0,
        help="Also add a synthetic survey with this many responses (for benchmarks).",
    )
    def demo_data_command(responses: int) -> None:
        """Seed, then add demo staff, a fictitious register (addresses @example.org) and the
        RUS 2018 survey with answers from about two thirds of the county boards.

        The demo logins share one password: DEMO_PASSWORD, or a random one printed here.
        """
        from coordinator.services.demo import load_demo_data
        from coordinator.services.invitations import absolute_url

        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        now = utcnow()
        result = load_demo_data(password, now=now)
        if responses:
            from coordinator.services.demo_surveys import load_synthetic_survey

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
