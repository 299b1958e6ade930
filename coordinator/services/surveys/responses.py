"""Answering: saving drafts, detecting two saves of the same response, submitting.

A respondent's answers arrive as form fields named after the question id (q<id>_choice,
q<id>_text, …); each question's kind reads its own fields, says what it refuses and what
is missing, and stores what it accepts (services/surveys/kinds/).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from coordinator.extensions import db
from coordinator.models import (
    Answer,
    Invitation,
    Organisation,
    Question,
    Response,
    Survey,
    User,
)
from coordinator.services.audit import record_event
from coordinator.services.errors import ClosedError
from coordinator.services.mail.outbox import queue_email
from coordinator.services.surveys.answer_files import files_by_answer
from coordinator.services.surveys.conditions import not_applicable
from coordinator.services.surveys.invitations import pass_on
from coordinator.services.surveys.kinds import kind_of
from coordinator.services.surveys.kinds.answers import (
    MAX_ANSWER_LENGTH,
    AnswerInput,
    StoredFile,
    field_name,
    read_answer,
)
from coordinator.services.surveys.questions import answerable_questions
from coordinator.services.surveys.states import can_submit, is_late

__all__ = ["MAX_ANSWER_LENGTH", "AnswerInput", "SaveResult", "field_name"]


@dataclass
class SaveResult:
    saved: bool
    errors: dict[str, str] = field(default_factory=dict)
    conflict: dict[int, AnswerInput] | None = None


def parse_answers(
    questions: Sequence[Question], form: Any, stored: Mapping[int, AnswerInput] | None = None
) -> dict[int, AnswerInput]:
    """The posted answers, by question id. `form` is a MultiDict (or a plain mapping), with
    the uploaded files when the form has any; `stored` adds what the form cannot post (the
    files an answer already holds)."""
    answers = {}
    for question in questions:
        kind = kind_of(question)
        posted = kind.parse(question, form)
        answers[question.id] = kind.carry_over(posted, (stored or {}).get(question.id))
    return answers


def stored_answers(response: Response | None) -> dict[int, AnswerInput]:
    if response is None:
        return {}
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
        for a in response.answers
    }


def stored_files(response: Response) -> dict[int, list[StoredFile]]:
    """The files of the response's answers, by answer id (no query without a question
    that takes files)."""
    if not any(kind_of(q).stores_files for q in response.survey.questions):
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
    if invitation.opened_at is None:
        invitation.opened_at = now
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

    An answer to a question whose condition the answers do not meet is kept as typed (so
    nothing is lost when the respondent changes their mind) but ignored everywhere else:
    never checked, never required, "Ej aktuell" in what is read and counted."""
    survey = response.survey
    if check_open and not can_submit(survey, now):
        raise ClosedError
    questions = answerable_questions(survey)
    stored = stored_answers(response)
    if all(kind_of(q).same(q, answers.get(q.id), stored.get(q.id)) for q in questions):
        # Nothing changed (a double click, a save without edits): nothing to write, no new
        # version, and a submitted response does not become late.
        return SaveResult(saved=True)
    if expected_version is not None and expected_version != response.version:
        return SaveResult(saved=False, conflict=stored)
    hidden = not_applicable(questions, {**stored, **answers})
    errors = _store(response, [q for q in questions if q.id in answers], answers, hidden, now)
    response.updated_at = now
    flag_modified(response, "updated_at")  # every save is a new version, even at the same second
    if response.submitted and not errors:
        # A change to a submitted response counts as submitted again, late if after the deadline.
        _mark_submitted(response, now)
    db.session.flush()
    return SaveResult(saved=True, errors=errors)


def _store(
    response: Response,
    questions: Sequence[Question],
    answers: Mapping[int, AnswerInput],
    hidden: set[int],
    now: datetime,
) -> dict[str, str]:
    """Each answer as its kind accepts it; the messages for what was refused (none for a
    question whose condition is not met)."""
    errors: dict[str, str] = {}
    existing = {a.question_id: a for a in response.answers}
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
            answer = Answer(question_id=question.id)
            response.answers.append(answer)
        kind.store(question, accepted, answer, now)
    return errors


def _mark_submitted(response: Response, now: datetime) -> None:
    response.state = "submitted"
    response.first_submitted_at = response.first_submitted_at or now
    response.submitted_at = now
    if is_late(response.survey, response.organisation_id, now):
        response.late = True


def submit_response(response: Response, now: datetime) -> dict[str, str]:
    """Submit if every required question is answered; returns what is missing otherwise."""
    if not can_submit(response.survey, now):
        raise ClosedError
    missing = missing_required(answerable_questions(response.survey), stored_answers(response))
    if missing:
        return missing
    _mark_submitted(response, now)
    db.session.flush()
    return {}


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
    if contact is None or not contact.email:
        return
    survey = response.survey
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
