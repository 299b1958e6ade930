"""Staff accounts and the database as a whole: `create-user`, `backup`, `restore`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from coordinator.extensions import db
from coordinator.services.errors import BackupError, UserError


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role", type=click.Choice(["admin", "coordinator", "viewer"]), default="coordinator"
)
@click.option("--name", default="", help="Full name (defaults to the e-mail address).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create a staff account with EMAIL and ROLE; the password is prompted for."""
    from coordinator.services.accounts.users import create_user

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


def _user_or_fail(email: str):  # type: ignore[no-untyped-def]
    from coordinator.services.accounts.users import find_user_by_email

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the address {email}.")
    return user


@click.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def set_password_command(email: str, password_stdin: bool) -> None:
    """Set the password of the account with EMAIL and end its sessions (recovery, e.g. when
    single sign-on is away: set PASSWORD_LOGIN=true for the time being)."""
    from coordinator.services.accounts.users import set_password

    user = _user_or_fail(email)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        set_password(user, password, actor=None)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Password set for {user.email}.")


@click.command("reset-second-factor")
@click.argument("email")
@with_appcontext
def reset_second_factor_command(email: str) -> None:
    """Turn off the second factor of the account with EMAIL (a lost phone and no recovery
    codes left, and no other admin to do it on the account's page). Audited."""
    from coordinator.models.types import utcnow
    from coordinator.services.accounts.two_factor import disable_two_factor

    user = _user_or_fail(email)
    disable_two_factor(user, actor=None, now=utcnow(), by_operator=True)
    db.session.commit()
    click.echo(f"Second factor of {user.email} reset; it is set up again at the next login.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write one archive to PATH with a consistent copy of the database and every uploaded
    file, while the app keeps running."""
    from coordinator.services.backup import write_backup
    from coordinator.services.projects.storage import storage

    try:
        write_backup(current_app.config["SQLALCHEMY_DATABASE_URI"], storage().root, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database's contents with the backup in PATH and bring back its files."""
    from coordinator.services.backup import restore_backup
    from coordinator.services.projects.storage import storage

    if not yes:
        click.confirm("This replaces everything in the database. Continue?", abort=True)
    db.session.remove()
    try:
        files = restore_backup(current_app.config["SQLALCHEMY_DATABASE_URI"], storage().root, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored from {path} ({files} uploaded files).")


def register(app: Flask) -> None:
    for command in (
        create_user_command,
        set_password_command,
        reset_second_factor_command,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)
