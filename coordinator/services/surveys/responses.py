"""Answering: saving drafts, detecting two saves of the same response, submitting.

A respondent's answers arrive as form fields named after the question id (q<id>_choice,
q<id>_text, …); each question's kind reads its own fields, says what it refuses and what
is missing, and stores what it accepts (services/surveys/kinds/).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from coordinator.extensions import db
from coordinator.models import Answer, Invitation, Organisation, Question, Response, Survey, User
from coordinator.services.audit import record_event
from coordinator.services.errors import ClosedError
from coordinator.services.mail.outbox import absolute_url, secret_marker
from coordinator.services.surveys.answer_files import files_by_answer
from coordinator.services.surveys.conditions import not_applicable
from coordinator.services.surveys.invitations import pass_on, record_opened
from coordinator.services.surveys.kinds import kind_of
from coordinator.services.surveys.kinds.answers import (
    MAX_ANSWER_LENGTH,
    AnswerInput,
    StoredFile,
    field_name,
    read_answer,
)
from coordinator.services.surveys.mail_texts import queue_survey_mail
from coordinator.services.surveys.prefill import confirm_prefilled
from coordinator.services.surveys.questions import answerable_questions, takes_files
from coordinator.services.surveys.states import can_submit, is_late

__all__ = ["MAX_ANSWER_LENGTH", "AnswerInput", "SaveResult", "field_name"]


@dataclass
class SaveResult:
    saved: bool
    errors: dict[str, str] = field(default_factory=dict)
    conflict: dict[int, AnswerInput] | None = None
    # The questions whose answer this save wrote (reported for a board answer only).
    written: list[int] = field(default_factory=list)


def parse_answers(
    questions: Sequence[Question],
    form: Any,
    stored: Mapping[int, AnswerInput] | None = None,
    only: Collection[int] | None = None,
) -> dict[int, AnswerInput]:
    """The posted answers, by question id. `form` is a MultiDict (or a plain mapping), with
    the uploaded files when the form has any; `stored` adds what the form cannot post (the
    files an answer already holds).

    With `only` (the ids of the questions an autosave sends: those changed since its last
    save) the form carries just those questions; every other one keeps its `stored`
    answer, so the result is what the whole form would have posted."""
    stored = stored or {}
    answers = {}
    for question in questions:
        kind = kind_of(question)
        if only is not None and question.id not in only:
            if question.id in stored:
                answers[question.id] = stored[question.id]
            continue
        posted = kind.parse(question, form)
        answers[question.id] = kind.carry_over(posted, stored.get(question.id))
    return answers


def sent_questions(value: str | None) -> set[int] | None:
    """The question ids an autosave says it sends ("12 15"), None for a whole form."""
    if value is None:
        return None
    return {int(part) for part in value.split() if part.isdigit()}


def _inputs(response: Response, rows: Sequence[Answer]) -> dict[int, AnswerInput]:
    files = stored_files(response)
    return {
        a.question_id: read_answer(
            a.choice,
            a.text,
            a.options,
            a.other_text,
            a.number_value,
            a.date_value,
            a.row_choices,
            files.get(a.id),
        )
        for a in rows
    }


def stored_answers(response: Response | None) -> dict[int, AnswerInput]:
    """The answers that count: a draft's answers, or the submitted ones (never a draft of
    changes to them)."""
    if response is None:
        return {}
    return _inputs(response, response.answers)


def working_answers(response: Response | None) -> dict[int, AnswerInput]:
    """What the respondent sees and edits: the draft of changes to a submitted response
    when there is one, otherwise its answers."""
    if response is None:
        return {}
    return _inputs(response, response.pending_answers if response.has_changes else response.answers)


def stored_files(response: Response) -> dict[int, list[StoredFile]]:
    """The files of the response's answers, by answer id (no query without a question
    that takes files)."""
    if not takes_files(response.survey):
        return {}
    return files_by_answer(Response.id == response.id)


def validate_answers(
    questions: Sequence[Question], answers: Mapping[int, AnswerInput]
) -> dict[str, str]:
    """What each question's kind refuses (too long, not a number, a file that fails the
    check …): field to message. Questions whose condition is not met are not checked."""
    hidden = not_applicable(questions, answers)
    errors = {}
    for question in questions:
        answer = answers.get(question.id)
        if answer is not None and question.id not in hidden:
            errors.update(kind_of(question).accept(question, answer)[1])
    return errors


def missing_required(
    questions: Sequence[Question], answers: Mapping[int, AnswerInput]
) -> dict[str, str]:
    """Required questions without an answer: field name to a message for the summary. A
    question whose condition is not met is never required."""
    hidden = not_applicable(questions, answers)
    errors = {}
    for question in questions:
        if question.required and question.id not in hidden:
            kind = kind_of(question)
            errors.update(kind.missing(question, answers.get(question.id, AnswerInput())))
    return errors


def response_for(invitation: Invitation, lock: bool = False) -> Response | None:
    query = select(Response).where(Response.invitation_id == invitation.id)
    if lock:
        query = query.with_for_update()
    return db.session.scalar(query)


def get_or_create_response(invitation: Invitation, now: datetime) -> Response:
    """The invitation's one response. Before making it the invitation row is locked
    (PostgreSQL; SQLite writes already run one at a time) and the response looked for
    again, so a double click makes one response. One that exists is changed only through
    its version (save_answers), so it needs no lock."""
    response = invitation.response
    if response is None:
        db.session.scalar(
            select(Invitation.id).where(Invitation.id == invitation.id).with_for_update()
        )
        response = response_for(invitation)
    if response is None:
        contact = invitation.contact
        response = Response(
            survey_id=invitation.survey_id,
            organisation_id=invitation.organisation_id,
            invitation=invitation,
            respondent_name=contact.name if contact else "",
            respondent_email=contact.email if contact else None,
            created_at=now,
            updated_at=now,
        )
        db.session.add(response)
        db.session.flush()
    record_opened(invitation, now)
    return response


def save_answers(
    response: Response,
    answers: Mapping[int, AnswerInput],
    expected_version: int | None,
    now: datetime,
    check_open: bool = True,
    confirmed: Iterable[int] = (),
) -> SaveResult:
    """Store the answers as given (complete or not). A save based on an older version of the
    response is not stored: the result carries the stored answers so both can be shown.

    An answer pre-filled from the previous round stays marked until it is changed, or
    confirmed (`confirmed`, question ids): the form always posts every answer it shows.

    The answers of a submitted response do not change here: what is saved becomes its
    draft of changes, submitted only through `submit_response`.

    An answer to a question whose condition the answers do not meet is kept as typed (so
    nothing is lost when the respondent changes their mind) but ignored everywhere else:
    never checked, never required, "Ej aktuell" in what is read and counted.
    """
    survey = response.survey
    if check_open and not can_submit(survey, now):
        raise ClosedError
    questions = answerable_questions(survey)
    current = working_answers(response)
    changed = {
        q.id
        for q in questions
        if q.id in answers and not kind_of(q).same(q, answers[q.id], current.get(q.id))
    }
    if not changed:
        # Nothing changed (a double click, a save without edits): nothing to write, no new
        # version.
        confirm_prefilled(response, confirmed)
        return SaveResult(saved=True)
    if expected_version is not None and expected_version != response.version:
        return SaveResult(saved=False, conflict=current)
    confirm_prefilled(response, changed | set(confirmed))
    hidden = not_applicable(questions, {**current, **answers})
    asked = [q for q in questions if q.id in answers]
    if response.submitted:
        errors = _store(_changes_rows(response), asked, answers, hidden, now, pending=True)
        _keep_or_drop_changes(response, now)
    else:
        errors = _store(response.answers, asked, answers, hidden, now, pending=False)
    response.updated_at = now
    flag_modified(response, "updated_at")  # every save is a new version, even at the same second
    db.session.flush()
    return SaveResult(saved=True, errors=errors)


def _store(
    rows: list[Answer],
    questions: Sequence[Question],
    answers: Mapping[int, AnswerInput],
    hidden: set[int],
    now: datetime,
    pending: bool,
    stamp: Callable[[Answer], None] | None = None,
) -> dict[str, str]:
    """Each answer into `rows` as its kind accepts it; the messages for what was refused
    (none for a question whose condition is not met). `stamp` marks each row written."""
    errors: dict[str, str] = {}
    existing = {a.question_id: a for a in rows}
    for question in questions:
        kind = kind_of(question)
        # What is refused stays in the form; the stored answer keeps what was not accepted.
        accepted, refused = kind.accept(question, answers[question.id])
        if question.id not in hidden:
            errors.update(refused)
        if accepted is None:
            continue
        answer = existing.get(question.id)
        if answer is None:
            if kind.is_empty(question, accepted):
                continue
            answer = Answer(question_id=question.id, pending=pending)
            rows.append(answer)
        kind.store(question, accepted, answer, now)
        if stamp is not None:
            stamp(answer)
    return errors


def _changes_rows(response: Response) -> list[Answer]:
    """The rows of the draft of changes; the first change starts it as a copy of the
    submitted answers, whatever their kind (every column but the keys is copied, and the
    kind copies what it keeps beside the row, such as files)."""
    if not response.has_changes:
        response.pending_answers.clear()
        columns = [
            attr.key
            for attr in sa_inspect(Answer).column_attrs
            if attr.key not in ("id", "response_id", "pending")
        ]
        for answer in response.answers:
            copy = Answer(pending=True, **{key: deepcopy(getattr(answer, key)) for key in columns})
            kind_of(answer.question).copy_answer(answer, copy)
            response.pending_answers.append(copy)
    return response.pending_answers


def _keep_or_drop_changes(response: Response, now: datetime) -> None:
    """A draft of changes that came back to the submitted answers is no draft at all."""
    if _contents(response.answers) == _contents(response.pending_answers):
        response.pending_answers.clear()
        response.changes_saved_at = None
    else:
        response.changes_saved_at = now


_NOTHING: tuple[object, ...] = ("", "", [], "", None, None, {}, ())


def _contents(rows: Sequence[Answer]) -> dict[int, tuple[object, ...]]:
    """What each row holds, files by name and size (a copy's files are copies), leaving out
    rows that hold nothing."""
    contents: dict[int, tuple[object, ...]] = {}
    for row in rows:
        files = tuple((f.filename, f.size) for f in row.files)
        content = (
            row.choice or "",
            row.text,
            list(row.options or []),
            row.other_text,
            row.number_value,
            row.date_value,
            dict(row.row_choices or {}),
            files,
        )
        if content != _NOTHING:
            contents[row.question_id] = content
    return contents


def discard_changes(response: Response, now: datetime) -> None:
    """Drop the draft of changes: the submitted answers stay as they are."""
    if not response.has_changes:
        return
    response.pending_answers.clear()
    response.changes_saved_at = None
    response.updated_at = now
    db.session.flush()


def _mark_submitted(response: Response, now: datetime) -> None:
    response.state = "submitted"
    response.first_submitted_at = response.first_submitted_at or now
    response.submitted_at = now
    if is_late(response.survey, response.organisation_id, now):
        response.late = True


def has_something_to_submit(response: Response) -> bool:
    """A draft, or a submitted response with a draft of changes."""
    return not response.submitted or response.has_changes


def submit_response(response: Response, now: datetime) -> dict[str, str]:
    """Submit if every required question is answered; returns what is missing otherwise.

    Submitting a draft of changes makes it the response's answers (late if after the
    deadline); a submitted response without changes stays as it was submitted.
    """
    if not can_submit(response.survey, now):
        raise ClosedError
    missing = missing_required(answerable_questions(response.survey), working_answers(response))
    if missing:
        return missing
    if not has_something_to_submit(response):
        return {}
    if response.has_changes:
        _apply_changes(response)
    confirm_prefilled(response)
    _mark_submitted(response, now)
    db.session.flush()
    return {}


def _apply_changes(response: Response) -> None:
    """The draft of changes replaces the submitted answers."""
    response.answers.clear()
    db.session.flush()  # the old rows go before the new ones take their place
    for answer in response.pending_answers:
        answer.pending = False
    db.session.flush()
    db.session.expire(response, ["answers", "pending_answers"])
    response.changes_saved_at = None


def set_coordinated(response: Response, value: bool, actor: User | None, now: datetime) -> None:
    """Mark the board's coordinated answer; there is at most one per board and survey."""
    if value:
        for other in db.session.scalars(
            select(Response).where(
                Response.survey_id == response.survey_id,
                Response.organisation_id == response.organisation_id,
                Response.id != response.id,
                Response.is_coordinated.is_(True),
            )
        ):
            other.is_coordinated = False
    response.is_coordinated = value
    record_event(
        actor,
        "response.coordinated",
        "response",
        response.id,
        f"{'Markerat' if value else 'Avmarkerat'} som samordnat svar",
        now=now,
    )


def pass_on_to_colleague(
    invitation: Invitation, name: str, email: str, now: datetime, *, limit: int
) -> Invitation:
    """A colleague at the same board gets a link of their own, while the survey takes
    answers; at most `limit` (PASS_ON_LIMIT) from one link."""
    if not can_submit(invitation.survey, now):
        raise ClosedError
    return pass_on(invitation, name, email, now, limit)


def queue_receipt(response: Response, now: datetime, submitter: Invitation | None = None) -> None:
    """A copy of the submitted answers to the respondent; for a board answer, to the
    colleague who submitted it (`submitter`), with the link to the board answer."""
    invitation = submitter or response.invitation
    contact = invitation.contact if invitation else None
    if invitation is None or contact is None or not contact.email:
        return
    survey = response.survey
    # The same link as in the invitation, for changing the answers; the sender puts the
    # token in (services/mail/secret_links.py), so it is not stored with the receipt.
    marker = secret_marker()
    endpoint = "respond.show_board" if response.is_board_answer else "respond.show_form"
    link = absolute_url(endpoint, token=marker)
    context: dict[str, Any] = {
        "survey": survey,
        "response": response,
        "answers": stored_answers(response),
        "questions": answerable_questions(survey),
        "url": link,
        "pdf_url": absolute_url("respond.download_receipt", token=marker),
    }
    queue_survey_mail(
        survey,
        "receipt",
        contact,
        response.organisation,
        link,
        template="survey_receipt",
        subject=f"Kvitto: {survey.title}",
        context=context,
        to_name=contact.greeting_name,
        cause=("receipt", response.id),
        secret_links={marker: ["invitation", invitation.id]},
        now=now,
    )


def register_response(
    survey: Survey,
    organisation: Organisation,
    respondent_name: str,
    answers: Mapping[int, AnswerInput],
    actor: User,
    now: datetime,
) -> Response:
    """An answer that came by e-mail, entered by a coordinator on behalf of the board."""
    response = Response(
        survey=survey,
        organisation=organisation,
        respondent_name=respondent_name.strip(),
        registered_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(response)
    db.session.flush()
    save_answers(response, answers, expected_version=None, now=now, check_open=False)
    _mark_submitted(response, now)
    record_event(
        actor,
        "response.register",
        "response",
        response.id,
        f"{organisation.name}: {survey.title}",
        now=now,
    )
    db.session.flush()
    return response
