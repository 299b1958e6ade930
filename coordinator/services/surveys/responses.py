"""Answering: saving drafts, detecting two saves of the same response, submitting.

A respondent's answers arrive as form fields named after the question id:
q<id>_choice (yes/no or the chosen option), q<id>_text (comment or text answer),
q<id>_options (chosen options, repeated) and q<id>_other ("Annat, nämligen").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from coordinator.extensions import db
from coordinator.models import Answer, Invitation, Organisation, Question, Response, Survey, User
from coordinator.services.audit import record_event
from coordinator.services.errors import ClosedError
from coordinator.services.mail.outbox import absolute_url, queue_email
from coordinator.services.surveys.invitations import invitation_token, pass_on, record_opened
from coordinator.services.surveys.questions import answerable_questions
from coordinator.services.surveys.states import can_submit, is_late

MAX_ANSWER_LENGTH = 20_000


@dataclass
class AnswerInput:
    choice: str = ""
    text: str = ""
    options: list[str] = field(default_factory=list)
    other: str = ""

    @property
    def empty(self) -> bool:
        return not (self.choice or self.text.strip() or self.options or self.other.strip())


@dataclass
class SaveResult:
    saved: bool
    errors: dict[str, str] = field(default_factory=dict)
    conflict: dict[int, AnswerInput] | None = None


def field_name(question: Question, part: str) -> str:
    return f"q{question.id}_{part}"


def parse_answers(questions: Sequence[Question], form: Any) -> dict[int, AnswerInput]:
    """The posted answers, by question id. `form` is a MultiDict (or a plain mapping)."""

    def get(name: str) -> str:
        value = form.get(name, "")
        return value if isinstance(value, str) else ""

    def get_list(name: str) -> list[str]:
        if hasattr(form, "getlist"):
            return [v for v in form.getlist(name) if isinstance(v, str)]
        value = form.get(name, [])
        return list(value) if isinstance(value, list | tuple) else [value]

    answers = {}
    for question in questions:
        answers[question.id] = AnswerInput(
            choice=get(field_name(question, "choice")),
            text=get(field_name(question, "text")),
            options=get_list(field_name(question, "options")),
            other=get(field_name(question, "other")),
        )
    return answers


def _inputs(rows: Sequence[Answer]) -> dict[int, AnswerInput]:
    return {
        a.question_id: AnswerInput(
            choice=a.choice or "", text=a.text, options=list(a.options or []), other=a.other_text
        )
        for a in rows
    }


def stored_answers(response: Response | None) -> dict[int, AnswerInput]:
    """The answers that count: a draft's answers, or the submitted ones (never a draft of
    changes to them)."""
    if response is None:
        return {}
    return _inputs(response.answers)


def working_answers(response: Response | None) -> dict[int, AnswerInput]:
    """What the respondent sees and edits: the draft of changes to a submitted response
    when there is one, otherwise its answers."""
    if response is None:
        return {}
    return _inputs(response.pending_answers if response.has_changes else response.answers)


def validate_lengths(
    questions: Sequence[Question], answers: Mapping[int, AnswerInput]
) -> dict[str, str]:
    errors = {}
    for question in questions:
        answer = answers.get(question.id)
        if answer is None:
            continue
        for part, value in (("text", answer.text), ("other", answer.other)):
            if len(value) > MAX_ANSWER_LENGTH:
                errors[field_name(question, part)] = _(
                    "Texten i fråga %(number)s är för lång: %(length)s av högst %(limit)s "
                    "tecken. Den är inte sparad; korta den i fältet.",
                    number=question.number,
                    length=format_decimal(len(value)),
                    limit=format_decimal(MAX_ANSWER_LENGTH),
                )
    return errors


def missing_required(
    questions: Sequence[Question], answers: Mapping[int, AnswerInput]
) -> dict[str, str]:
    """Required questions without an answer: field name to a message for the summary."""
    errors = {}
    for question in questions:
        if not question.required:
            continue
        answer = answers.get(question.id, AnswerInput())
        if question.kind == "yes_no_comment" and answer.choice not in ("yes", "no"):
            errors[field_name(question, "choice")] = _(
                "Svara ja eller nej på fråga %(number)s", number=question.number
            )
        elif question.kind == "multiple_choice" and not (answer.options or answer.other.strip()):
            errors[field_name(question, "options")] = _(
                "Välj minst ett alternativ i fråga %(number)s", number=question.number
            )
        elif question.kind == "single_choice" and not answer.choice:
            errors[field_name(question, "choice")] = _(
                "Välj ett alternativ i fråga %(number)s", number=question.number
            )
        elif question.kind in ("short_text", "long_text") and not answer.text.strip():
            errors[field_name(question, "text")] = _(
                "Svara på fråga %(number)s", number=question.number
            )
    return errors


def response_for(invitation: Invitation, lock: bool = False) -> Response | None:
    query = select(Response).where(Response.invitation_id == invitation.id)
    if lock:
        query = query.with_for_update()
    return db.session.scalar(query)


def get_or_create_response(invitation: Invitation, now: datetime) -> Response:
    """The invitation's one response. The invitation row is locked first (PostgreSQL;
    SQLite writes already run one at a time), so a double click makes one response."""
    db.session.scalar(select(Invitation.id).where(Invitation.id == invitation.id).with_for_update())
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
) -> SaveResult:
    """Store the answers as given (complete or not). A save based on an older version of the
    response is not stored: the result carries the stored answers so both can be shown.

    The answers of a submitted response do not change here: what is saved becomes its
    draft of changes, submitted only through `submit_response`.
    """
    survey = response.survey
    if check_open and not can_submit(survey, now):
        raise ClosedError
    questions = answerable_questions(survey)
    current = working_answers(response)
    if all(_same(q, answers.get(q.id), current.get(q.id)) for q in questions):
        # Nothing changed (a double click, a save without edits): nothing to write, no new
        # version.
        return SaveResult(saved=True)
    if expected_version is not None and expected_version != response.version:
        return SaveResult(saved=False, conflict=current)
    errors = validate_lengths(questions, answers)
    if response.submitted:
        _write_answers(_changes_rows(response), questions, answers, errors, pending=True)
        _keep_or_drop_changes(response, questions, now)
    else:
        _write_answers(response.answers, questions, answers, errors, pending=False)
    response.updated_at = now
    flag_modified(response, "updated_at")  # every save is a new version, even at the same second
    db.session.flush()
    return SaveResult(saved=True, errors=errors)


def _write_answers(
    rows: list[Answer],
    questions: Sequence[Question],
    answers: Mapping[int, AnswerInput],
    errors: Mapping[str, str],
    pending: bool,
) -> None:
    existing = {a.question_id: a for a in rows}
    for question in questions:
        given = answers.get(question.id)
        if given is None:
            continue
        if field_name(question, "text") in errors or field_name(question, "other") in errors:
            continue  # the over-long text stays in the form; the stored answer is unchanged
        answer = existing.get(question.id)
        if answer is None:
            if given.empty:
                continue
            answer = Answer(question_id=question.id, pending=pending)
            rows.append(answer)
        answer.choice = _plain(given.choice) or None
        answer.text = _plain(given.text)
        answer.options = [
            o for o in given.options if o in {opt["value"] for opt in question.options}
        ]
        answer.other_text = _plain(given.other)


def _changes_rows(response: Response) -> list[Answer]:
    """The rows of the draft of changes; the first change starts it as a copy of the
    submitted answers, whatever their kind (every column but the keys is copied)."""
    if not response.has_changes:
        response.pending_answers.clear()
        columns = [
            attr.key
            for attr in sa_inspect(Answer).column_attrs
            if attr.key not in ("id", "response_id", "pending")
        ]
        for answer in response.answers:
            response.pending_answers.append(
                Answer(pending=True, **{key: deepcopy(getattr(answer, key)) for key in columns})
            )
    return response.pending_answers


def _keep_or_drop_changes(response: Response, questions: Sequence[Question], now: datetime) -> None:
    """A draft of changes that came back to the submitted answers is no draft at all."""
    submitted, changed = _inputs(response.answers), _inputs(response.pending_answers)
    empty = AnswerInput()
    if all(submitted.get(q.id, empty) == changed.get(q.id, empty) for q in questions):
        response.pending_answers.clear()
        response.changes_saved_at = None
    else:
        response.changes_saved_at = now


def discard_changes(response: Response, now: datetime) -> None:
    """Drop the draft of changes: the submitted answers stay as they are."""
    if not response.has_changes:
        return
    response.pending_answers.clear()
    response.changes_saved_at = None
    response.updated_at = now
    db.session.flush()


def _same(question: Question, given: AnswerInput | None, stored: AnswerInput | None) -> bool:
    """Whether saving `given` would leave the stored answer as it is."""
    if given is None:
        return True
    if stored is None:
        return given.empty
    valid = {opt["value"] for opt in question.options}
    return (
        _plain(given.choice) == stored.choice
        and _plain(given.text) == stored.text
        and [o for o in given.options if o in valid] == stored.options
        and _plain(given.other) == stored.other
    )


def _plain(text: str) -> str:
    """NUL means nothing in text and PostgreSQL cannot store it."""
    return text.replace("\x00", "")


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
    invitation: Invitation, name: str, email: str, now: datetime
) -> Invitation:
    """A colleague at the same board gets a link of their own, while the survey takes answers."""
    if not can_submit(invitation.survey, now):
        raise ClosedError
    return pass_on(invitation, name, email, now)


def queue_receipt(response: Response, now: datetime) -> None:
    invitation = response.invitation
    contact = invitation.contact if invitation else None
    if invitation is None or contact is None or not contact.email:
        return
    survey = response.survey
    # The same link as in the invitation, for changing the answers.
    link = absolute_url("respond.show_form", token=invitation_token(invitation.token_nonce))
    queue_email(
        to_email=contact.email,
        to_name=contact.name,
        contact=contact,
        organisation_id=response.organisation_id,
        template="survey_receipt",
        context={
            "survey": survey,
            "response": response,
            "answers": stored_answers(response),
            "questions": answerable_questions(survey),
            "url": link,
        },
        subject=f"Kvitto: {survey.title}",
        cause=("receipt", response.id),
        reply_to=survey.reply_to_user.email if survey.reply_to_user else None,
        language=contact.language,
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
