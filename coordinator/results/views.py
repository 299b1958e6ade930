"""Results for the workshop: the printable results page, the workbook and CSV downloads,
and the workshop notes.

Who: every staff member may read results and download them (viewers read everything and
change nothing, and the answers are no more secret than the follow-up dashboard they
already see). Creating meeting notes from the results changes a meeting: coordinators and
administrators who are members of the survey's project, as for any notes.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from typing import IO
from urllib.parse import quote

from flask import (
    Blueprint,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from coordinator.downloads import send_stored
from coordinator.extensions import db
from coordinator.form_errors import show_error
from coordinator.models import AnswerFile, Meeting, Response, Survey
from coordinator.models.types import utcnow
from coordinator.permissions import (
    current_staff,
    editor_required,
    may_change_survey,
    staff_required,
)
from coordinator.results.forms import CreateMeetingNotesForm, ShareResultsForm
from coordinator.services.results.attachments import write_attachments_zip
from coordinator.services.results.charts import summary_charts
from coordinator.services.results.handout import write_handout
from coordinator.services.results.pdf import pdf_wait_minutes
from coordinator.services.results.receipts import (
    receipt_filename,
    write_receipt,
    write_receipts_zip,
)
from coordinator.services.results.sharing import (
    ShareOptions,
    SharingError,
    current_share,
    queue_results_shared_mail,
    share_results,
    sharing_history,
    undo_sharing,
)
from coordinator.services.results.summary import Selection, summarise_survey
from coordinator.services.results.workbook import local_time, write_csv, write_workbook
from coordinator.services.results.workshop_notes import (
    create_meeting_notes,
    meetings_for_notes,
    workshop_notes_markdown,
)
from coordinator.services.surveys.kinds import kind_of
from coordinator.services.surveys.rounds import round_changes
from coordinator.surveys.views import editable_survey

bp = Blueprint("results", __name__, url_prefix="/surveys")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_IN_MEMORY = 8 * 1024 * 1024  # larger files go to a temporary file on disk


def _survey(survey_id: int) -> Survey:
    return db.get_or_404(Survey, survey_id)


def _flag(name: str) -> bool:
    return request.args.get(name) == "1"


def _selection() -> Selection:
    late = {"on_time": False, "late": True}.get(request.args.get("timing", ""))
    return Selection(
        include_drafts=_flag("drafts"), coordinated_only=_flag("coordinated"), late=late
    )


def content_disposition(name: str) -> str:
    """An ASCII fallback name and the real one in RFC 5987 form (å, ä, ö survive)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "export"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _filename(survey: Survey, extension: str) -> str:
    title = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", survey.title).strip()[:60] or "Enkät"
    stamp = local_time(utcnow()).strftime("%Y-%m-%d")  # type: ignore[union-attr]
    return f"{title} {stamp}.{extension}"


def _download(write: Callable[[IO[bytes]], object], name: str, mimetype: str) -> WerkzeugResponse:
    """The file spooled (in memory while small, then on disk) and sent; the response
    closes the spool when it has been sent, and a failed export closes it at once."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    try:
        write(spool)  # type: ignore[arg-type]
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    response = send_file(spool, mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


@bp.get("/<int:survey_id>/export.xlsx")
@staff_required
def export_workbook(survey_id: int) -> WerkzeugResponse:
    survey = _survey(survey_id)
    return _download(
        lambda spool: write_workbook(
            survey,
            spool,
            include_drafts=_flag("drafts"),
            coordinated_only=_flag("coordinated"),
            now=utcnow(),
        ),
        _filename(survey, "xlsx"),
        XLSX,
    )


@bp.get("/<int:survey_id>/export.csv")
@staff_required
def export_csv(survey_id: int) -> WerkzeugResponse:
    survey = _survey(survey_id)
    return _download(
        lambda spool: write_csv(
            survey, spool, include_drafts=_flag("drafts"), coordinated_only=_flag("coordinated")
        ),
        _filename(survey, "csv"),
        "text/csv; charset=utf-8",
    )


@bp.get("/<int:survey_id>/attachments.zip")
@staff_required
def export_attachments(survey_id: int) -> WerkzeugResponse:
    """ "Ladda ner alla bilagor": every file of the selected answers in one zip."""
    survey = _survey(survey_id)
    selection = Selection(include_drafts=_flag("drafts"), coordinated_only=_flag("coordinated"))
    title = _filename(survey, "zip").removesuffix(".zip")
    return _download(
        lambda spool: write_attachments_zip(survey, spool, selection),
        f"{title} bilagor.zip",
        "application/zip",
    )


@bp.get("/<int:survey_id>/handout.pdf")
@staff_required
def export_handout(survey_id: int) -> WerkzeugResponse:
    """ "Workshopunderlag": the results page's selection as a PDF to print."""
    survey = _survey(survey_id)
    selection = _selection()
    return _download(
        lambda spool: write_handout(survey, spool, now=utcnow(), selection=selection),
        "Workshopunderlag " + _filename(survey, "pdf"),
        "application/pdf",
    )


@bp.get("/responses/<int:response_id>/receipt.pdf")
@staff_required
def download_receipt(response_id: int) -> WerkzeugResponse:
    """One response as the PDF its respondent can download from the receipt page."""
    g.no_store = True
    response = db.get_or_404(Response, response_id)
    return _download(
        lambda spool: write_receipt(response, spool, now=utcnow()),
        receipt_filename(response),
        "application/pdf",
    )


@bp.get("/<int:survey_id>/receipts.zip")
@staff_required
def export_receipts(survey_id: int) -> WerkzeugResponse:
    """Every submitted response as its own PDF, in one zip."""
    survey = _survey(survey_id)
    title = _filename(survey, "zip").removesuffix(".zip")
    return _download(
        lambda spool: write_receipts_zip(survey, spool, now=utcnow()),
        f"{title} svar som PDF.zip",
        "application/zip",
    )


@bp.get("/attachments/<int:file_id>")
@staff_required
def download_attachment(file_id: int) -> WerkzeugResponse:
    """A file a respondent attached to an answer."""
    g.no_store = True
    file = db.get_or_404(AnswerFile, file_id)
    return send_stored(file.storage_key, file.filename, file.content_type)


@bp.get("/<int:survey_id>/results")
@staff_required
def show_results(survey_id: int) -> str:
    survey = _survey(survey_id)
    selection = _selection()
    summary = summarise_survey(survey, selection)
    charts = summary_charts(summary.questions)
    return render_template(
        "results/show.html",
        survey=survey,
        summary=summary,
        charts=charts,
        has_files=any(kind_of(q).stores_files for q in survey.questions),
        selection=selection,
        timing=request.args.get("timing", ""),
        changes=round_changes(survey, selection),
        share=current_share(survey, utcnow()),
        can_share=may_change_survey(current_staff(), survey),
        pdf_minutes=pdf_wait_minutes(summary.responses),
    )


@bp.route("/<int:survey_id>/results/share", methods=["GET", "POST"])
@editor_required
def share(survey_id: int) -> str | WerkzeugResponse:
    """ "Dela resultatet med länsstyrelserna": choose what is included, then share."""
    survey = editable_survey(survey_id)
    shared = current_share(survey, utcnow())
    form = ShareResultsForm()
    if shared is not None and not form.is_submitted():
        # Changing a sharing starts from what it includes, and does not mail everyone again.
        form.include_free_text.data = shared.include_free_text
        form.include_attachments.data = shared.include_attachments
        form.on_public_page.data = shared.on_public_page
        form.notify.data = False
    public = survey.project.visibility == "public"
    if not public:
        del form.on_public_page
    if form.validate_on_submit():
        options = ShareOptions(
            include_free_text=bool(form.include_free_text.data),
            include_attachments=bool(form.include_attachments.data),
            on_public_page=public and bool(form.on_public_page.data),
        )
        now = utcnow()
        try:
            new = share_results(survey, options, current_staff(), now)
        except SharingError as error:
            show_error(form, error, "include_free_text")
        else:
            mailed = queue_results_shared_mail(survey, new, now) if form.notify.data else 0
            db.session.commit()
            message = _("Resultatet är delat med länsstyrelserna.")
            if mailed:
                message += " " + _("%(n)s e-postmeddelanden ligger i utkorgen.", n=mailed)
            flash(message, "success")
            return redirect(url_for("results.show_results", survey_id=survey.id))
    return render_template(
        "results/share.html",
        survey=survey,
        form=form,
        share=shared,
        history=sharing_history(survey),
    )


@bp.post("/<int:survey_id>/results/unshare")
@editor_required
def unshare(survey_id: int) -> WerkzeugResponse:
    """Undo the sharing: the boards' results pages are gone again."""
    survey = editable_survey(survey_id)
    try:
        undo_sharing(survey, current_staff(), utcnow())
    except SharingError as error:
        db.session.rollback()
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(_("Delningen är ångrad. Länsstyrelserna ser inte längre resultatet."), "success")
    return redirect(url_for("results.show_results", survey_id=survey.id))


@bp.get("/<int:survey_id>/workshop-notes")
@staff_required
def workshop_notes(survey_id: int) -> str | WerkzeugResponse:
    survey = _survey(survey_id)
    text = workshop_notes_markdown(survey, summarise_survey(survey, _selection()))
    if _flag("download"):
        response = make_response(text)
        response.headers["Content-Type"] = "text/markdown; charset=utf-8"
        response.headers["Content-Disposition"] = content_disposition(_filename(survey, "md"))
        return response
    form = CreateMeetingNotesForm()
    form.set_meetings(meetings_for_notes(survey))
    return render_template(
        "results/workshop_notes.html",
        survey=survey,
        text=text,
        form=form,
        can_create=may_change_survey(current_staff(), survey),
        coordinated=_flag("coordinated"),
    )


@bp.post("/<int:survey_id>/workshop-notes")
@editor_required
def create_workshop_notes(survey_id: int) -> str | WerkzeugResponse:
    """ "Skapa mötesanteckningar": the summary as notes of a meeting of the project."""
    survey = editable_survey(survey_id)
    actor = current_staff()
    form = CreateMeetingNotesForm()
    form.set_meetings(meetings_for_notes(survey))
    coordinated = request.form.get("coordinated") == "1"
    summary = summarise_survey(survey, Selection(coordinated_only=coordinated))
    text = workshop_notes_markdown(survey, summary)
    if not form.validate_on_submit():
        return render_template(
            "results/workshop_notes.html",
            survey=survey,
            text=text,
            form=form,
            can_create=True,
            coordinated=coordinated,
        )
    meeting = db.get_or_404(Meeting, form.meeting.data)
    create_meeting_notes(meeting, survey, text, actor=actor, now=utcnow())
    db.session.commit()
    flash(_("Mötesanteckningarna är skapade från resultaten. Redigera dem här."), "success")
    return redirect(url_for("projects.edit_notes", meeting_id=meeting.id))
