"""Answering: saving drafts, detecting two saves of the same response, submitting.

A respondent's answers arrive as form fields named after the question id:
q<id>_choice (yes/no or the chosen option), q<id>_text (comment or text answer),
q<id>_options (chosen options, repeated) and q<id>_other ("Annat, nämligen").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from coordinator.extensions import db
from coordinator.models import Answer, Invitation, Organisation, Question, Response, Survey, User
from coordinator.services.audit import record_event
from coordinator.services.errors import ClosedError
from coordinator.services.mail.outbox import queue_email
from coordinator.services.surveys.invitations import pass_on
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


def stored_answers(response: Response | None) -> dict[int, AnswerInput]:
    if response is None:
        return {}
    return {
        a.question_id: AnswerInput(
            choice=a.choice or "", text=a.text, options=list(a.options or []), other=a.other_text
        )
        for a in response.answers
    }


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
                    "Svaret på fråga %(number)s är %(length)s tecken. Korta det till högst "
                    "%(limit)s tecken; texten finns kvar i fältet.",
                    number=question.number,
                    length=len(value),
                    limit=MAX_ANSWER_LENGTH,
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
    response is not stored: the result carries the stored answers so both can be shown."""
    survey = response.survey
    if check_open and not can_submit(survey, now):
        raise ClosedError
    questions = answerable_questions(survey)
    stored = stored_answers(response)
    if all(_same(q, answers.get(q.id), stored.get(q.id)) for q in questions):
        # Nothing changed (a double click, a save without edits): nothing to write, no new
        # version, and a submitted response does not become late.
        return SaveResult(saved=True)
    if expected_version is not None and expected_version != response.version:
        return SaveResult(saved=False, conflict=stored)
    errors = validate_lengths(questions, answers)
    existing = {a.question_id: a for a in response.answers}
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
            answer = Answer(question_id=question.id)
            response.answers.append(answer)
        answer.choice = _plain(given.choice) or None
        answer.text = _plain(given.text)
        answer.options = [
            o for o in given.options if o in {opt["value"] for opt in question.options}
        ]
        answer.other_text = _plain(given.other)
    response.updated_at = now
    flag_modified(response, "updated_at")  # every save is a new version, even at the same second
    if response.submitted and not errors:
        # A change to a submitted response counts as submitted again, late if after the deadline.
        _mark_submitted(response, now)
    db.session.flush()
    return SaveResult(saved=True, errors=errors)


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
