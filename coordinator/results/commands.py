"""`flask export-survey`: the workshop workbook (or its CSV, or the PDF handout) from the
command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from coordinator.extensions import db
from coordinator.models import Survey
from coordinator.models.types import utcnow
from coordinator.services.results.handout import write_handout
from coordinator.services.results.summary import Selection
from coordinator.services.results.workbook import write_csv, write_workbook


@click.command("export-survey")
@click.argument("survey_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--include-drafts", is_flag=True, help="Also drafts (default: submitted only).")
@click.option(
    "--coordinated-only",
    is_flag=True,
    help="One response per organisation: its coordinated answer, else its latest submitted.",
)
@click.option("--csv", "as_csv", is_flag=True, help="Write the Alla svar table as CSV.")
@click.option("--pdf", "as_pdf", is_flag=True, help="Write the workshop handout as PDF.")
@with_appcontext
def export_survey_command(
    survey_id: int,
    output: Path,
    include_drafts: bool,
    coordinated_only: bool,
    as_csv: bool,
    as_pdf: bool,
) -> None:
    """Write the survey's answers to an Excel workbook (or CSV, or PDF) for the workshop."""
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise click.ClickException(f"No survey {survey_id}.")
    if as_csv and as_pdf:
        raise click.UsageError("Choose one of --csv and --pdf.")
    options = {"include_drafts": include_drafts, "coordinated_only": coordinated_only}
    with output.open("wb") as target:
        if as_pdf:
            write_handout(survey, target, now=utcnow(), selection=Selection(**options))
        elif as_csv:
            write_csv(survey, target, **options)
        else:
            write_workbook(survey, target, now=utcnow(), **options)
    click.echo(f"Wrote {output}.")


def register(app: Flask) -> None:
    app.cli.add_command(export_survey_command)
