"""The import-contacts command: the same preview and import as the web page."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from coordinator.extensions import db
from coordinator.models.types import utcnow


def register(app: Flask) -> None:
    @app.cli.command("import-contacts")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Show what would change; save nothing.")
    def import_contacts_command(file: Path, dry_run: bool) -> None:
        """Import contacts from FILE (.xlsx or .csv with a header row).

        Rows with errors are listed and skipped; the valid rows are imported together.
        """
        from coordinator.services.contact_import import (
            ContactImportError,
            apply_import,
            preview_import,
        )

        max_bytes = int(app.config["IMPORT_MAX_BYTES"])
        with file.open("rb") as handle:
            data = handle.read(max_bytes + 1)
        try:
            preview = preview_import(
                file.name, data, max_bytes=max_bytes, max_rows=int(app.config["IMPORT_MAX_ROWS"])
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
