"""The board answer: one response per organisation and survey that everyone invited from
that organisation (and the colleagues they pass the survey on to) builds together, beside
the personal answers each of them may keep.

Several people save it, so the version check works per question: the form carries, for
each question, a fingerprint of the answer it showed. A save writes only the questions
the person changed; a question that someone else saved since the form was shown is a
conflict, and both texts are shown, so no one's text is lost. Each answer keeps who
wrote it last and when.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from coordinator.extensions import db
from coordinator.models import Answer, Invitation, Organisation, Question, Response, User
from coordinator.services.errors import ClosedError
from coordinator.services.surveys.conditions import not_applicable
from coordinator.services.surveys.invitations import record_opened
from coordinator.services.surveys.kinds import kind_of
from coordinator.services.surveys.kinds.answers import AnswerInput
from coordinator.services.surveys.prefill import confirm_prefilled
from coordinator.services.surveys.questions import answerable_questions
from coordinator.services.surveys.responses import (
    SaveResult,
    _changes_rows,
    _keep_or_drop_changes,
    _store,
    set_coordinated,
    submit_response,
    working_answers,
)
from coordinator.services.surveys.states import can_submit

# The respondent name of a board answer (stored data, like a respondent's own name).
BOARD_ANSWER_NAME = "Gemensamt svar"


@dataclass(frozen=True)
class Writer:
    """Who last wrote an answer of a board answer, and when."""

    name: str
    at: datetime


def board_answer_for(survey_id: int, organisation_id: int, lock: bool = False) -> Response | None:
    """The organisation's board answer to the survey, if anyone has saved it yet. Locked
    (PostgreSQL) and read afresh when about to be changed, so that the per-question check
    compares with what the last save left."""
    query = select(Response).where(
        Response.survey_id == survey_id,
        Response.organisation_id == organisation_id,
        Response.is_board_answer.is_(True),
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def board_answer_of(invitation: Invitation, lock: bool = False) -> Response | None:
    """The board answer the invitation's holder may see: their own organisation's only."""
    return board_answer_for(invitation.survey_id, invitation.organisation_id, lock=lock)


def get_or_create_board_answer(invitation: Invitation, now: datetime) -> Response:
    """The organisation's board answer, locked, made at its first save. Before making it
    the organisation row is locked (PostgreSQL; SQLite writes run one at a time), so two
    colleagues saving at once make one board answer."""
    response = board_answer_of(invitation, lock=True)
    if response is None:
        db.session.scalar(
            select(Organisation.id)
            .where(Organisation.id == invitation.organisation_id)
            .with_for_update(key_share=True)
        )
        response = board_answer_of(invitation, lock=True)
    if response is None:
        response = Response(
            survey_id=invitation.survey_id,
            organisation_id=invitation.organisation_id,
            respondent_name=BOARD_ANSWER_NAME,
            is_board_answer=True,
            created_at=now,
            updated_at=now,
        )
        db.session.add(response)
        db.session.flush()
    record_opened(invitation, now)
    return response


def fingerprint(question: Question, answer: AnswerInput | None) -> str:
    """What an answer holds, as a short digest: the per-question version a form carries.
    An empty answer and no answer are the same."""
    normalised = kind_of(question).normalise(question, answer or AnswerInput())
    if normalised.empty:
        return "empty"
    content = [
        normalised.choice,
        normalised.text,
        sorted(normalised.options),
        normalised.other,
        None if normalised.value is None else str(normalised.value),
        sorted(normalised.rows.items()),
        sorted(f.id for f in normalised.files),
        [(u.filename, hashlib.sha256(u.data).hexdigest()) for u in normalised.uploads],
    ]
    encoded = json.dumps(content, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def fingerprints(
    questions: Sequence[Question], answers: Mapping[int, AnswerInput]
) -> dict[int, str]:
    return {q.id: fingerprint(q, answers.get(q.id)) for q in questions}


def _sort_out(
    questions: Sequence[Question],
    posted: Mapping[int, AnswerInput],
    seen: Mapping[int, str],
    current: Mapping[int, AnswerInput],
) -> tuple[dict[int, AnswerInput], dict[int, AnswerInput]]:
    """The questions this save changes, and those it would change over someone else's
    newer answer (each with the stored answer). A question without a fingerprint was not
    on the page that was sent (added since, say): it is left as it is."""
    changed: dict[int, AnswerInput] = {}
    conflicts: dict[int, AnswerInput] = {}
    for question in questions:
        given = posted.get(question.id)
        stored = current.get(question.id)
        shown = seen.get(question.id)
        if given is None or shown is None or kind_of(question).same(question, given, stored):
            continue
        if fingerprint(question, given) == shown:
            continue  # not changed here: the stored answer (perhaps newer) stays
        if fingerprint(question, stored) != shown:
            conflicts[question.id] = stored or AnswerInput()
            continue
        changed[question.id] = given
    return changed, conflicts


def save_board_answer(
    response: Response,
    posted: Mapping[int, AnswerInput],
    seen: Mapping[int, str],
    now: datetime,
    invitation: Invitation | None = None,
    user: User | None = None,
    check_open: bool = True,
    confirmed: Iterable[int] = (),
) -> SaveResult:
    """Store the answers this person changed since their form showed `seen` (question id
    to fingerprint), marking each as written by them (`invitation` or staff `user`).

    The other questions are saved even when some conflict: those come back in the
    result's `conflict` with the stored answer, to be shown beside the posted one. As for
    a personal answer, what is saved after submitting is a draft of changes. A pre-filled
    answer loses its mark when it is changed or in `confirmed` (question ids).
    """
    survey = response.survey
    if check_open and not can_submit(survey, now):
        raise ClosedError
    questions = answerable_questions(survey)
    current = working_answers(response)
    changed, conflicts = _sort_out(questions, posted, seen, current)
    result = SaveResult(saved=True, conflict=conflicts or None)
    # A pre-filled answer stays marked until changed (below) or confirmed as it is.
    confirm_prefilled(response, set(confirmed) - conflicts.keys())
    if not changed:
        return result

    def stamp(row: Answer) -> None:
        result.written.append(row.question_id)
        row.written_at = now
        row.written_by_invitation = invitation
        row.written_by_user = user
        row.prefilled = False  # changed here: no longer the previous round's answer

    hidden = not_applicable(questions, {**current, **changed})
    asked = [q for q in questions if q.id in changed]
    if response.submitted:
        rows = _changes_rows(response)
        result.errors = _store(rows, asked, changed, hidden, now, pending=True, stamp=stamp)
        _keep_or_drop_changes(response, now)
    else:
        rows = response.answers
        result.errors = _store(rows, asked, changed, hidden, now, pending=False, stamp=stamp)
    response.updated_at = now
    flag_modified(response, "updated_at")
    db.session.flush()
    return result


def writers(response: Response | None, submitted: bool = False) -> dict[int, Writer]:
    """Who last wrote each answer the colleagues see now (the draft of changes when there
    is one; with `submitted`, the answers that count), by question id. A writer whose
    personal data was erased has no name."""
    if response is None:
        return {}
    changes = response.has_changes and not submitted
    rows = response.pending_answers if changes else response.answers
    _load_writers(rows)
    found = {}
    for row in rows:
        if row.written_at is None:
            continue
        name = ""
        if row.written_by_invitation is not None and row.written_by_invitation.contact:
            name = row.written_by_invitation.contact.name
        elif row.written_by_user is not None:
            name = row.written_by_user.name
        found[row.question_id] = Writer(name=name, at=row.written_at)
    return found


def coordinated_elsewhere(response: Response) -> bool:
    """Whether another response of the same board is marked as its coordinated answer."""
    return bool(
        db.session.scalar(
            select(Response.id).where(
                Response.survey_id == response.survey_id,
                Response.organisation_id == response.organisation_id,
                Response.id != response.id,
                Response.is_coordinated.is_(True),
            )
        )
    )


def _load_writers(rows: Sequence[Answer]) -> None:
    """The writers of `rows` in two queries, not two per row: the rows then find them in
    the session."""
    invitation_ids = {r.written_by_invitation_id for r in rows} - {None}
    user_ids = {r.written_by_user_id for r in rows} - {None}
    if invitation_ids:
        db.session.scalars(
            select(Invitation)
            .where(Invitation.id.in_(invitation_ids))
            .options(selectinload(Invitation.contact))
        ).all()
    if user_ids:
        db.session.scalars(select(User).where(User.id.in_(user_ids))).all()


def submit_board_answer(
    response: Response, coordinated: bool, actor: User | None, now: datetime
) -> dict[str, str]:
    """Submit the board answer (what `submit_response` checks), marked as the board's
    coordinated answer when chosen; returns what is missing otherwise."""
    missing = submit_response(response, now)
    if missing:
        return missing
    if coordinated and not response.is_coordinated:
        set_coordinated(response, True, actor=actor, now=now)
    db.session.flush()
    return {}
