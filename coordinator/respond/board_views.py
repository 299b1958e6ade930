"""The board answer through a personal link: everyone invited from one organisation opens
the same answer from their own link (/r/<token>/board), beside their personal answer.

Saving sends, for each question, the fingerprint of the answer the page showed, so that
only the questions this person changed are written and a question someone else saved in
the meantime comes back as a conflict with both texts (services/surveys/board_answers.py).
The page also saves by itself (static/js/autosave.js), and then takes the new
fingerprints of the answers it wrote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import CombinedMultiDict

from coordinator.extensions import csrf, db, limiter
from coordinator.i18n import short_datetime
from coordinator.models import Invitation, Question, Response, Survey
from coordinator.models.types import utcnow
from coordinator.respond.views import (
    _AUTOSAVE_CLOSED,
    _AUTOSAVE_FAILED,
    _autosave_body,
    _csrf_ok,
    _invitation,
    bp,
    posted_confirmations,
    render_answer_form,
    render_check,
)
from coordinator.services.errors import ClosedError
from coordinator.services.surveys.board_answers import (
    board_answer_of,
    coordinated_elsewhere,
    fingerprints,
    get_or_create_board_answer,
    save_board_answer,
    submit_board_answer,
    writers,
)
from coordinator.services.surveys.questions import answerable_questions
from coordinator.services.surveys.responses import (
    AnswerInput,
    SaveResult,
    has_something_to_submit,
    missing_required,
    parse_answers,
    queue_receipt,
    stored_answers,
    working_answers,
)
from coordinator.services.surveys.states import can_submit
from coordinator.surveys.labels import question_has_error
from coordinator.web import token_rate_limit

_AUTOSAVE_BOARD_CONFLICT = _l(
    "En kollega har ändrat en fråga som du också ändrar. "
    "Tryck på Spara utkast för att se båda texterna och välja."
)


def _render_board(
    invitation: Invitation,
    token: str,
    answers: Mapping[int, AnswerInput],
    seen: Mapping[int, str],
    errors: dict[str, str] | None = None,
    status: int = 200,
    notice: str | None = None,
) -> tuple[str, int]:
    response = board_answer_of(invitation)
    return render_answer_form(
        invitation,
        token,
        response,
        answers,
        errors,
        status,
        notice,
        writers(response),
        board=True,
        version=0,
        seen=seen,
    )


def _posted_seen(questions: Sequence[Question]) -> dict[int, str]:
    """The fingerprint of each question's answer as the page showed it (only of the
    questions that were on the page)."""
    return {q.id: request.form[f"seen_{q.id}"] for q in questions if f"seen_{q.id}" in request.form}


def _posted(questions: Sequence[Question], response: Response | None) -> dict[int, AnswerInput]:
    """The answers in the form, with the files the board answer already holds."""
    form: CombinedMultiDict[str, Any] = CombinedMultiDict((request.form, request.files))
    return parse_answers(questions, form, working_answers(response))


def _current(
    survey: Survey, response: Response | None
) -> tuple[dict[int, AnswerInput], dict[int, str]]:
    """The board answer as stored now (none before its first save), and its fingerprints."""
    answers = working_answers(response)
    return answers, fingerprints(answerable_questions(survey), answers)


@bp.get("/<token>/board")
@limiter.limit(token_rate_limit)
def show_board(token: str) -> tuple[str, int]:
    invitation = _invitation(token)
    response = board_answer_of(invitation)
    answers, seen = _current(invitation.survey, response)
    if not can_submit(invitation.survey, utcnow()):
        answers = stored_answers(response)
    return _render_board(invitation, token, answers, seen)


@bp.post("/<token>/board")
@csrf.exempt
@limiter.limit(token_rate_limit)
def save_board(token: str) -> Any:
    invitation = _invitation(token)
    survey = invitation.survey
    questions = answerable_questions(survey)
    action = request.form.get("action", "save")
    seen = _posted_seen(questions)
    if not _csrf_ok():
        if action == "autosave":
            return jsonify(saved=False, reason="session", message=str(_AUTOSAVE_FAILED)), 400
        posted = _posted(questions, board_answer_of(invitation))
        notice = _(
            "Sidan har varit öppen länge, så svaren är inte sparade ännu. "
            "Allt du skrev finns kvar: tryck på Spara utkast igen."
        )
        return _render_board(invitation, token, posted, seen, status=400, notice=notice)
    now = utcnow()
    # Locked before its answers are read, so that they are what the last save left.
    response = get_or_create_board_answer(invitation, now)
    posted = _posted(questions, response)
    try:
        confirmed = posted_confirmations(questions)
        result = save_board_answer(
            response, posted, seen, now, invitation=invitation, confirmed=confirmed
        )
    except ClosedError:
        db.session.rollback()
        if action == "autosave":
            return jsonify(saved=False, reason="closed", message=str(_AUTOSAVE_CLOSED)), 409
        return _render_board(invitation, token, posted, seen, status=409)
    stored, fresh = _current(survey, response)
    version, has_changes = response.version, response.has_changes
    db.session.commit()  # what did not conflict is saved
    if action == "autosave":
        return _autosave_board_reply(result, version, has_changes, fresh, now)
    if result.conflict:
        # Keeping one's own text posts it again: over what is stored now for the questions
        # in conflict, with what the page showed for the others (not over newer answers).
        again = {**seen, **{q: fresh[q] for q in result.conflict}}
        return _conflict(survey, token, questions, posted, result.conflict, again, response)
    if result.errors:
        # Refused answers stay as typed; every other question shows what is stored now.
        refused = {q.id: posted[q.id] for q in questions if question_has_error(result.errors, q)}
        shown = {**stored, **refused}
        return _render_board(invitation, token, shown, fresh, result.errors, status=400)
    if action == "review":
        missing = missing_required(questions, stored)
        if missing:
            return _render_board(invitation, token, stored, fresh, missing, status=400)
        return redirect(url_for("respond.check_board", token=token))
    flash(_("Det gemensamma svaret är sparat %(time)s.", time=short_datetime(now)), "success")
    question = action.removeprefix("upload-") if action.startswith("upload-") else ""
    anchor = f"question-{question}" if question.isdigit() else None
    return redirect(url_for("respond.show_board", token=token, _anchor=anchor))


def _autosave_board_reply(
    result: SaveResult, version: int, has_changes: bool, fresh: Mapping[int, str], now: Any
) -> Any:
    """What the page's script says after saving by itself, with the new fingerprint of
    each answer it wrote (never of the others: the page still shows what it showed)."""
    body = _autosave_body(result, version, has_changes, now)
    body["seen"] = {f"seen_{q}": fresh[q] for q in result.written}
    if result.conflict:
        body.update(saved=False, reason="conflict", message=str(_AUTOSAVE_BOARD_CONFLICT))
        return jsonify(body), 409
    return jsonify(body)


def _conflict(
    survey: Any,
    token: str,
    questions: Sequence[Question],
    posted: Mapping[int, AnswerInput],
    conflict: Mapping[int, AnswerInput],
    seen: Mapping[int, str],
    response: Response,
) -> tuple[str, int]:
    """Both texts of each question someone else saved meanwhile."""
    return render_template(
        "respond/conflict.html",
        board=True,
        survey=survey,
        token=token,
        questions=[q for q in questions if q.id in conflict],
        mine=posted,
        stored=conflict,
        writers=writers(response),
        seen=seen,
        posted_form=request.form,
    ), 409


@bp.get("/<token>/board/check")
@limiter.limit(token_rate_limit)
def check_board(token: str) -> Any:
    invitation = _invitation(token)
    survey = invitation.survey
    response = board_answer_of(invitation)
    if response is None:
        return redirect(url_for("respond.show_board", token=token))
    return render_check(
        survey,
        token,
        response,
        board=True,
        to_submit=has_something_to_submit(response) or not response.is_coordinated,
        coordinated_elsewhere=coordinated_elsewhere(response),
        writers=writers(response),
    )


@bp.post("/<token>/board/submit")
@csrf.exempt
@limiter.limit(token_rate_limit)
def submit_board(token: str) -> Any:
    invitation = _invitation(token)
    if not _csrf_ok():
        flash(_("Sidan har varit öppen länge. Tryck på Skicka in svaren igen."), "warning")
        return redirect(url_for("respond.check_board", token=token))
    now = utcnow()
    response = get_or_create_board_answer(invitation, now)
    coordinated = request.form.get("coordinated") == "y"
    news = has_something_to_submit(response)
    try:
        missing = submit_board_answer(response, coordinated, actor=None, now=now)
    except ClosedError:
        db.session.rollback()
        flash(_("Enkäten är stängd. Svaren kan inte längre skickas in."), "warning")
        return redirect(url_for("respond.show_board", token=token))
    if missing:
        db.session.rollback()
        return redirect(url_for("respond.check_board", token=token))
    if news:
        queue_receipt(response, now, submitter=invitation)
    at = short_datetime(now)
    db.session.commit()
    if coordinated and invitation.organisation.county_code:
        message = _(
            "Det gemensamma svaret är inskickat %(at)s som länsstyrelsens samordnade svar.", at=at
        )
    elif coordinated:
        message = _(
            "Det gemensamma svaret är inskickat %(at)s som organisationens samordnade svar.", at=at
        )
    else:
        message = _("Det gemensamma svaret är inskickat %(at)s.", at=at)
    flash(message, "success")
    return redirect(url_for("respond.show_board", token=token))
