"""The register's commands: `seed`, `import-contacts` and `apply-retention`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
@click.option(
    "--swap-names",
    is_flag=True,
    help='Turn names written "Efternamn, Förnamn" around ("Förnamn Efternamn").',
)
@with_appcontext
def import_contacts_command(file: Path, dry_run: bool, swap_names: bool) -> None:
    """Import contacts from FILE (.xlsx or .csv with a header row among its first rows).

    Every row is printed as new, update, unchanged or error, then a summary. Rows with
    errors are skipped; the valid rows are imported together.
    """
    from coordinator.services.register.contact_import import (
        Decisions,
        apply_import,
        build_preview,
        read_import,
    )

    config = current_app.config
    max_bytes = int(config["IMPORT_MAX_BYTES"])
    with file.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    try:
        read, emails = read_import(
            file.name,
            data,
            max_bytes=max_bytes,
            max_rows=int(config["IMPORT_MAX_ROWS"]),
            max_seconds=float(config["IMPORT_MAX_SECONDS"]),
        )
    except ContactImportError as exc:
        raise click.ClickException(str(exc)) from exc
    preview = build_preview(file.name, read, emails, Decisions(swap_names=swap_names))
    if preview.header_line > 1:
        click.echo(f"Header on row {preview.header_line}; the rows above it are not imported.")
    for row in preview.rows:
        click.echo(_row_line(row))
    counts = preview.counts
    click.echo(
        f"{file.name}: {counts['new']} new, {counts['update']} to update, "
        f"{counts['unchanged']} unchanged, {counts['error']} with errors."
    )
    if preview.name_swaps and not swap_names:
        click.echo(
            f'{len(preview.name_swaps)} names look like "Efternamn, Förnamn"; '
            "--swap-names turns them around."
        )
    if dry_run:
        click.echo("Dry run: nothing saved.")
        return
    if not preview.importable:
        click.echo("Nothing to import.")
        return
    apply_import(preview, actor=None, now=utcnow())
    db.session.commit()
    click.echo(f"Imported {counts['new']} new and {counts['update']} updated contacts.")


def _row_line(row: Any) -> str:
    """One row of the import as a line: its status, address and name, and why or what."""
    who = f"{row.values.get('email', '')} {row.values.get('name', '')}".strip()
    if row.status == "error":
        detail = " ".join(row.errors)
        if row.suggestions:
            detail += " Closest: " + "; ".join(o.display_name for o in row.suggestions) + "."
    elif row.status == "update":
        detail = "changes " + ", ".join(row.changes)
    else:
        detail = row.organisation.display_name if row.organisation else ""
    return f"  row {row.line}: {row.status:9} {who}" + (f" – {detail}" if detail else "")


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
