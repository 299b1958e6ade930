"""Answering a survey through a personal link: no account, no password.

Opening the link (GET) changes nothing, because mail scanners fetch every link. The
CSRF check is done here rather than by the global hook, so that a form left open for
hours comes back with everything that was typed instead of an error page.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import ValidationError, validate_csrf
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.wrappers import Response as WerkzeugResponse

from coordinator.bidi import isolate_message
from coordinator.downloads import send_stored
from coordinator.extensions import csrf, db, limiter
from coordinator.fields import db_id
from coordinator.form_errors import show_error
from coordinator.i18n import short_datetime
from coordinator.models import AnswerFile, Invitation, Question, Response, Survey
from coordinator.models.types import utcnow
from coordinator.respond.forms import PassOnForm
from coordinator.respond.question_block import question_block
from coordinator.services.errors import ClosedError, RegisterError
from coordinator.services.results.receipts import receipt_filename, write_receipt
from coordinator.services.results.sharing import results_shared
from coordinator.services.surveys.board_answers import board_answer_of
from coordinator.services.surveys.invitations import find_invitation_by_token, record_opened
from coordinator.services.surveys.prefill import prefilled_questions
from coordinator.services.surveys.questions import answerable_questions
from coordinator.services.surveys.responses import (
    AnswerInput,
    SaveResult,
    discard_changes,
    get_or_create_response,
    has_something_to_submit,
    missing_required,
    parse_answers,
    pass_on_to_colleague,
    queue_receipt,
    response_for,
    save_answers,
    sent_questions,
    set_coordinated,
    stored_answers,
    submit_response,
    working_answers,
)
from coordinator.services.surveys.states import can_submit, effective_deadline, is_late
from coordinator.web import token_rate_limit

bp = Blueprint("respond", __name__, url_prefix="/r")

# What the page says when it could not save by itself (static/js/autosave.js shows it).
_AUTOSAVE_FAILED = _l("Kunde inte spara automatiskt. Tryck på Spara utkast.")
_AUTOSAVE_CLOSED = _l("Enkäten är stängd; svaren kan inte längre sparas.")
_AUTOSAVE_CONFLICT = _l(
    "Svaren har ändrats i ett annat fönster. "
    "Tryck på Spara utkast för att välja vilken version som ska gälla."
)


@bp.after_request
def private_page(response: WerkzeugResponse) -> WerkzeugResponse:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _invitation(token: str) -> Invitation:
    invitation = find_invitation_by_token(token)
    if invitation is None:
        abort(404)
    g.no_store = True
    return invitation


def posted_confirmations(questions: Sequence[Question]) -> set[int]:
    """The pre-filled answers ticked "Bekräfta svaret som det är" on the page."""
    return {q.id for q in questions if request.form.get(f"confirm_{q.id}") == "y"}


def _csrf_ok() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


def _render_form(
    invitation: Invitation,
    token: str,
    answers: dict[int, AnswerInput],
    errors: dict[str, str] | None = None,
    status: int = 200,
    notice: str | None = None,
) -> tuple[str, int]:
    response = invitation.response
    board_answer = board_answer_of(invitation)
    return render_answer_form(
        invitation,
        token,
        response,
        answers,
        errors,
        status,
        notice,
        version=response.version if response else 0,
        board_answer=board_answer,
        board_prefilled=bool(prefilled_questions(board_answer)),
        results_shared=results_shared(invitation, utcnow()),
    )


def render_answer_form(
    invitation: Invitation,
    token: str,
    response: Response | None,
    answers: Mapping[int, AnswerInput],
    errors: dict[str, str] | None,
    status: int,
    notice: str | None,
    writers: Mapping[int, Any] | None = None,
    **page: Any,
) -> tuple[str, int]:
    """The form of a personal or a board answer (`response`): the survey, its deadline for
    the organisation, and the questions with `answers`."""
    survey = invitation.survey
    now = utcnow()
    open_for_answers = can_submit(survey, now)
    prefilled = prefilled_questions(response) if open_for_answers else set()
    return (
        render_template(
            "respond/form.html",
            survey=survey,
            invitation=invitation,
            token=token,
            response=response,
            questions_html=question_block(
                survey, answers, errors or {}, not open_for_answers, prefilled, writers
            ),
            errors=errors or {},
            deadline=effective_deadline(survey, invitation.organisation_id),
            late_now=is_late(survey, invitation.organisation_id, now),
            open_for_answers=open_for_answers,
            notice=notice,
            has_changes=bool(response and response.has_changes),
            prefilled=prefilled,
            **page,
        ),
        status,
    )


@bp.get("/<token>")
@limiter.limit(token_rate_limit)
def show_form(token: str) -> tuple[str, int]:
    invitation = _invitation(token)
    response = invitation.response
    # A closed survey shows what counts; an open one what the respondent is working on.
    if can_submit(invitation.survey, utcnow()):
        return _render_form(invitation, token, working_answers(response))
    return _render_form(invitation, token, stored_answers(response))


def _autosave_reply(result: SaveResult, version: int, has_changes: bool, now: Any) -> Any:
    return jsonify(_autosave_body(result, version, has_changes, now))


def _autosave_body(result: SaveResult, version: int, has_changes: bool, now: Any) -> dict[str, Any]:
    """What the page's script says after saving by itself. An answer that was not stored
    is never reported as saved: its field gets the reason."""
    time = short_datetime(now)[-5:]
    body: dict[str, Any] = {
        "saved": not result.errors,
        "version": version,
        "saved_at": time,
        "changes": has_changes,
        "errors": result.errors,
    }
    if result.errors:
        body["message"] = " ".join(result.errors.values())
    elif has_changes:
        body["message"] = _("Ändringarna är sparade %(time)s men inte inskickade.", time=time)
    else:
        body["message"] = _("Sparat %(time)s", time=time)
    return body


@bp.post("/<token>")
@csrf.exempt
@limiter.limit(token_rate_limit)
def save(token: str) -> Any:  # noqa: C901 - every outcome of a save (session, closed, conflict, errors) in one view
    invitation = _invitation(token)
    survey = invitation.survey
    action = request.form.get("action", "save")
    autosave = action == "autosave"
    # Autosave sends only the questions changed since its last save, and says which.
    posted = parse_answers(
        answerable_questions(survey),
        CombinedMultiDict((request.form, request.files)),
        working_answers(invitation.response),
        only=sent_questions(request.form.get("autosave_questions")) if autosave else None,
    )
    if not _csrf_ok():
        if autosave:
            return jsonify(saved=False, reason="session", message=str(_AUTOSAVE_FAILED)), 400
        notice = _(
            "Sidan har varit öppen länge, så svaren är inte sparade ännu. "
            "Allt du skrev finns kvar: tryck på Spara utkast igen."
        )
        return _render_form(invitation, token, posted, status=400, notice=notice)
    now = utcnow()
    if action == "discard":
        return _discard(invitation, token, now)
    try:
        existed = invitation.response is not None
        response = get_or_create_response(invitation, now)
        # The form carries the version it showed (0 before any save); a response saved
        # elsewhere since then is a conflict, never overwritten.
        version = request.form.get("version", default=0, type=db_id)
        result = save_answers(
            response,
            posted,
            expected_version=version if existed else None,
            now=now,
            confirmed=posted_confirmations(answerable_questions(survey)),
        )
    except ClosedError:
        db.session.rollback()
        if autosave:
            return jsonify(saved=False, reason="closed", message=str(_AUTOSAVE_CLOSED)), 409
        return _render_form(invitation, token, posted, status=409)
    if result.conflict is not None:
        db.session.rollback()
        if autosave:
            return jsonify(saved=False, reason="conflict", message=str(_AUTOSAVE_CONFLICT)), 409
        return render_template(
            "respond/conflict.html",
            survey=survey,
            token=token,
            questions=answerable_questions(survey),
            mine=posted,
            stored=result.conflict,
            version=response_for(invitation).version,  # type: ignore[union-attr]
            posted_form=request.form,
        ), 409
    # Read before the commit expires the objects: reading them again afterwards would open
    # another write transaction (this is a POST) just to look.
    version = response.version
    has_changes = response.has_changes
    review = action == "review" and not result.errors
    missing = missing_required(answerable_questions(survey), posted) if review else {}
    db.session.commit()
    if autosave:
        return _autosave_reply(result, version, has_changes, now)
    if result.errors:
        return _render_form(invitation, token, posted, result.errors, status=400)
    if review:
        if missing:
            return _render_form(invitation, token, posted, missing, status=400)
        return redirect(url_for("respond.check", token=token))
    if has_changes:
        flash(
            _(
                "Ändringarna är sparade %(time)s men inte inskickade. Dina inskickade svar "
                "gäller tills du skickar in ändringarna.",
                time=short_datetime(now),
            ),
            "success",
        )
    else:
        flash(_("Utkastet är sparat %(time)s.", time=short_datetime(now)), "success")
    # "Ladda upp" next to a file field saves the draft and comes back to that question.
    question = action.removeprefix("upload-") if action.startswith("upload-") else ""
    anchor = f"question-{question}" if question.isdigit() else None
    return redirect(url_for("respond.show_form", token=token, _anchor=anchor))


@bp.get("/<token>/files/<int:file_id>")
@limiter.limit(token_rate_limit)
def download_file(token: str, file_id: int) -> WerkzeugResponse:
    """A file attached to this response or to the board answer of its organisation (their
    answers or drafts of changes), no other."""
    invitation = _invitation(token)
    own = [r.id for r in (invitation.response, board_answer_of(invitation)) if r is not None]
    file = db.session.get(AnswerFile, file_id)
    if file is None or file.answer.response_id not in own:
        abort(404)
    return send_stored(file.storage_key, file.filename, file.content_type)


def _discard(invitation: Invitation, token: str, now: Any) -> Any:
    response = response_for(invitation)
    if response is not None and response.has_changes:
        if not can_submit(invitation.survey, now):
            db.session.rollback()
            return _render_form(invitation, token, stored_answers(response), status=409)
        discard_changes(response, now)
        db.session.commit()
        flash(_("Ändringarna är borttagna. Dina inskickade svar gäller."), "success")
    return redirect(url_for("respond.show_form", token=token))


@bp.post("/<token>/opened")
@csrf.exempt
@limiter.limit(token_rate_limit)
def opened(token: str) -> tuple[str, int]:
    """The page's script reports the first focus or key press in the form: a person."""
    invitation = _invitation(token)
    if not _csrf_ok():
        return "", 400
    if record_opened(invitation, utcnow()):
        db.session.commit()
    return "", 204


@bp.get("/<token>/check")
@limiter.limit(token_rate_limit)
def check(token: str) -> Any:
    invitation = _invitation(token)
    survey = invitation.survey
    response = response_for(invitation)
    if response is None:
        return redirect(url_for("respond.show_form", token=token))
    return render_check(survey, token, response, to_submit=has_something_to_submit(response))


def render_check(survey: Survey, token: str, response: Response, **page: Any) -> str:
    """The check page of a personal or a board answer: every answer, and what is missing."""
    questions = answerable_questions(survey)
    answers = working_answers(response)
    return render_template(
        "respond/check.html",
        survey=survey,
        token=token,
        response=response,
        questions=questions,
        answers=answers,
        missing=missing_required(questions, answers),
        open_for_answers=can_submit(survey, utcnow()),
        **page,
    )


@bp.post("/<token>/submit")
@csrf.exempt
@limiter.limit(token_rate_limit)
def submit(token: str) -> Any:
    invitation = _invitation(token)
    if not _csrf_ok():
        flash(_("Sidan har varit öppen länge. Tryck på Skicka in svaren igen."), "warning")
        return redirect(url_for("respond.check", token=token))
    now = utcnow()
    response = get_or_create_response(invitation, now)
    news = has_something_to_submit(response)
    try:
        missing = submit_response(response, now)
    except ClosedError:
        db.session.rollback()
        flash(_("Enkäten är stängd. Svaren kan inte längre skickas in."), "warning")
        return redirect(url_for("respond.show_form", token=token))
    if missing:
        answers = working_answers(response)
        db.session.rollback()
        return _render_form(invitation, token, answers, missing, status=400)
    if request.form.get("coordinated") == "y" and not response.is_coordinated:
        set_coordinated(response, True, actor=None, now=now)
    if news:
        queue_receipt(response, now)
    db.session.commit()
    return redirect(url_for("respond.done", token=token))


@bp.get("/<token>/done")
@limiter.limit(token_rate_limit)
def done(token: str) -> Any:
    invitation = _invitation(token)
    response = response_for(invitation)
    if response is None or not response.submitted:
        return redirect(url_for("respond.show_form", token=token))
    return render_template(
        "respond/done.html", survey=invitation.survey, response=response, token=token
    )


@bp.get("/<token>/receipt.pdf")
@limiter.limit(token_rate_limit)
def download_receipt(token: str) -> WerkzeugResponse:
    """ "Ladda ner svaren som PDF": this invitation's own submitted answers, no other."""
    invitation = _invitation(token)
    response = response_for(invitation)
    if response is None or not response.submitted:
        return redirect(url_for("respond.show_form", token=token))
    data = io.BytesIO()
    write_receipt(response, data, now=utcnow())
    data.seek(0)
    name = receipt_filename(response)  # ASCII: no filename* needed
    return send_file(data, mimetype="application/pdf", as_attachment=True, download_name=name)


@bp.route("/<token>/pass-on", methods=["GET", "POST"])
@limiter.limit(token_rate_limit)
def pass_on_view(token: str) -> Any:
    invitation = _invitation(token)
    if not can_submit(invitation.survey, utcnow()):
        flash(_("Enkäten är stängd och kan inte skickas vidare."), "warning")
        return redirect(url_for("respond.show_form", token=token))
    form = PassOnForm()
    if form.validate_on_submit():
        try:
            colleague = pass_on_to_colleague(
                invitation,
                form.name.data or "",
                form.email.data or "",
                utcnow(),
                limit=int(current_app.config["PASS_ON_LIMIT"]),
            )
        except ClosedError:
            db.session.rollback()
            flash(_("Enkäten är stängd och kan inte skickas vidare."), "warning")
            return redirect(url_for("respond.show_form", token=token))
        except RegisterError as exc:
            show_error(form, exc, "email")
        else:
            name = colleague.contact.name if colleague.contact else ""
            db.session.commit()
            message = _("%(name)s får en egen länk till enkäten.")
            flash(isolate_message(message, name=name), "success")
            return redirect(url_for("respond.show_form", token=token))
    return render_template("respond/pass_on.html", form=form, survey=invitation.survey, token=token)
