"""Results for the workshop: the workbook and CSV downloads, and a printable results page."""

from __future__ import annotations

import re
import tempfile
from urllib.parse import quote

from flask import Blueprint, abort, make_response, render_template, request, send_file
from werkzeug.wrappers import Response as WerkzeugResponse

from coordinator.extensions import db
from coordinator.models import Survey
from coordinator.models.types import utcnow
from coordinator.permissions import staff_required
from coordinator.services.export import write_csv, write_workbook
from coordinator.services.results import response_rows, summarise, workshop_notes_markdown

bp = Blueprint("results", __name__, url_prefix="/surveys")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _survey(survey_id: int) -> Survey:
    return db.session.get(Survey, survey_id) or abort(404)


def _options() -> dict[str, bool]:
    return {
        "include_drafts": request.args.get("drafts") == "1",
        "coordinated_only": request.args.get("coordinated") == "1",
    }


def _download(
    data_file: tempfile.SpooledTemporaryFile, name: str, mimetype: str
) -> WerkzeugResponse:
    data_file.seek(0)
    response = send_file(data_file, mimetype=mimetype, as_attachment=True, download_name=name)
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", name)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def _filename(survey: Survey, extension: str) -> str:
    stamp = utcnow().strftime("%Y-%m-%d")
    return f"{survey.title[:60]} {stamp}.{extension}"


@bp.get("/<int:survey_id>/export.xlsx")
@staff_required
def export_workbook(survey_id: int) -> WerkzeugResponse:
    survey = _survey(survey_id)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (send_file closes it)
    write_workbook(survey, spool, now=utcnow(), **_options())
    return _download(spool, _filename(survey, "xlsx"), XLSX)


@bp.get("/<int:survey_id>/export.csv")
@staff_required
def export_csv(survey_id: int) -> WerkzeugResponse:
    survey = _survey(survey_id)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    write_csv(survey, spool, **_options())
    return _download(spool, _filename(survey, "csv"), "text/csv; charset=utf-8")


@bp.get("/<int:survey_id>/results")
@staff_required
def show_results(survey_id: int) -> str:
    survey = _survey(survey_id)
    timing = request.args.get("timing", "")
    late = {"on_time": False, "late": True}.get(timing)
    options = _options()
    rows = list(response_rows(survey, coordinated_only=options["coordinated_only"], late=late))
    return render_template(
        "results/show.html",
        survey=survey,
        summaries=summarise(survey, rows),
        responses=len(rows),
        timing=timing,
        coordinated=options["coordinated_only"],
    )


@bp.get("/<int:survey_id>/workshop-notes")
@staff_required
def workshop_notes(survey_id: int) -> str | WerkzeugResponse:
    survey = _survey(survey_id)
    rows = list(response_rows(survey, coordinated_only=request.args.get("coordinated") == "1"))
    text = workshop_notes_markdown(survey, summarise(survey, rows), len(rows))
    if request.args.get("download") == "1":
        response = make_response(text)
        response.headers["Content-Type"] = "text/markdown; charset=utf-8"
        name = quote(_filename(survey, "md"))
        response.headers["Content-Disposition"] = (
            f"attachment; filename=\"workshop.md\"; filename*=UTF-8''{name}"
        )
        return response
    return render_template("results/workshop_notes.html", survey=survey, text=text)
