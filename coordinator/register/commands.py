"""The register's commands: `seed`, `import-contacts` and `apply-retention`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from coordinator.extensions import db
from coordinator.mail.commands import add_tick_task
from coordinator.models.types import utcnow
from coordinator.services.errors import ContactImportError


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Create the 21 county boards, the SNI 2007 list and the standard networks.

    Running it again changes nothing.
    """
    from coordinator.services.register.seed import seed_reference_data

    created = seed_reference_data()
    db.session.commit()
    click.echo(
        "Seeded: {organisations} organisations, {networks} networks, "
        "{option_lists} option lists.".format(**created)
    )


@click.command("import-contacts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; save nothing.")
@with_appcontext
def import_contacts_command(file: Path, dry_run: bool) -> None:
    """Import contacts from FILE (.xlsx or .csv with a header row).

    Rows with errors are listed and skipped; the valid rows are imported together.
    """
    from coordinator.services.register.contact_import import apply_import, preview_import

    config = current_app.config
    max_bytes = int(config["IMPORT_MAX_BYTES"])
    with file.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    try:
        preview = preview_import(
            file.name, data, max_bytes=max_bytes, max_rows=int(config["IMPORT_MAX_ROWS"])
        )
    except ContactImportError as exc:
        raise click.ClickException(str(exc)) from exc
    counts = preview.counts
    click.echo(
        f"{file.name}: {counts['new']} new, {counts['update']} to update, "
        f"{counts['unchanged']} unchanged, {counts['error']} with errors."
    )
    for row in preview.errors:
        click.echo(f"  row {row.line}: {' '.join(row.errors)}")
    if dry_run:
        click.echo("Dry run: nothing saved.")
        return
    if not preview.importable:
        click.echo("Nothing to import.")
        return
    apply_import(preview, actor=None, now=utcnow())
    db.session.commit()
    click.echo(f"Imported {counts['new']} new and {counts['update']} updated contacts.")


@click.command("apply-retention")
@with_appcontext
def apply_retention_command() -> None:
    """Erase respondents' personal data from surveys closed RETENTION_MONTHS ago."""
    from coordinator.services.register.personal_data import apply_retention

    months = current_app.config["RETENTION_MONTHS"]
    if months <= 0:
        click.echo("RETENTION_MONTHS is not set; nothing erased.")
        return
    cleared = apply_retention(months, now=utcnow())
    db.session.commit()
    click.echo(f"Erased respondent details from {cleared} responses.")


def register(app: Flask) -> None:
    for command in (seed_command, import_contacts_command, apply_retention_command):
        app.cli.add_command(command)
    months = app.config["RETENTION_MONTHS"]
    if months > 0:
        from coordinator.services.register.personal_data import apply_retention

        add_tick_task(app, lambda now: apply_retention(months, now=now))
