"""The next round of a survey ("Ny omgång"): a copy with the same questions and recipients
whose boards find their previous answers already filled in.

Each board's draft is filled from its answer in the previous round: the response marked
as its coordinated answer, else its most recently submitted one (the same choice as
"one answer per organisation" on the results page). Only questions that did not change
are filled (services/surveys/prefill.py). The draft is the board's shared answer
(services/surveys/board_answers.py), so everyone invited from the board sees it.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Answer, Invitation, Question, Response, Survey, User
from coordinator.services.audit import record_event
from coordinator.services.results.summary import (
    ResponseRow,
    Selection,
    iter_response_rows,
    response_heads,
)
from coordinator.services.surveys.board_answers import BOARD_ANSWER_NAME
from coordinator.services.surveys.building import copy_survey
from coordinator.services.surveys.kinds import kind_of
from coordinator.services.surveys.kinds.answers import AnswerInput
from coordinator.services.surveys.prefill import unchanged_since_previous_round
from coordinator.services.surveys.questions import answerable_questions

# The previous round's choice of one response per board.
BOARD_ANSWER = Selection(coordinated_only=True)


def start_next_round(survey: Survey, actor: User, now: datetime) -> Survey:
    """A draft copy of `survey` (questions, recipients with new unsent links) as its next
    round, with each board's previous answer pre-filled."""
    new = copy_survey(survey, actor, now)
    new.title = _("%(title)s (ny omgång)", title=survey.title)
    new.previous_round_id = survey.id
    for old, question in zip(survey.questions, new.questions, strict=True):
        question.previous_question_id = old.id
    db.session.flush()
    db.session.refresh(new, ["previous_round"])
    filled = prefill_round(new, now)
    record_event(
        actor,
        "survey.new_round",
        "survey",
        new.id,
        new.title,
        {"from": survey.id, "prefilled_boards": filled},
        now=now,
    )
    return new


def _board_answers(previous: Survey) -> dict[int, int]:
    """Organisation id → the response id that is its answer in the previous round."""
    return {row.organisation_id: row.response_id for row in response_heads(previous, BOARD_ANSWER)}


def _invited_boards(survey: Survey) -> set[int]:
    return set(
        db.session.scalars(
            select(Invitation.organisation_id).where(
                Invitation.survey_id == survey.id, Invitation.revoked_at.is_(None)
            )
        )
    )


# Who wrote a board answer's answer belongs to that round, not to the copy.
_SKIPPED_COLUMNS = (
    "id",
    "response_id",
    "question_id",
    "pending",
    "prefilled",
    "written_at",
    "written_by_invitation_id",
    "written_by_user_id",
)


def _copy_answers(source: Response, target: Response, questions: Iterable[Question]) -> None:
    by_previous = {q.previous_question_id: q for q in questions}
    columns = [a.key for a in sa_inspect(Answer).column_attrs if a.key not in _SKIPPED_COLUMNS]
    for answer in source.answers:
        question = by_previous.get(answer.question_id)
        if question is None:
            continue
        copy = Answer(
            question_id=question.id,
            prefilled=True,
            **{key: deepcopy(getattr(answer, key)) for key in columns},
        )
        kind_of(answer.question).copy_answer(answer, copy)
        target.answers.append(copy)


def prefill_round(survey: Survey, now: datetime) -> int:
    """Fill each invited board's board answer from its previous answer, for unchanged
    questions only; boards that already have a board answer in this round are left
    alone. Returns how many boards were filled."""
    previous = survey.previous_round
    if previous is None:
        return 0
    questions = [q for q in answerable_questions(survey) if unchanged_since_previous_round(q)]
    if not questions:
        return 0
    answered = set(
        db.session.scalars(
            select(Response.organisation_id).where(
                Response.survey_id == survey.id, Response.is_board_answer.is_(True)
            )
        )
    )
    sources = _board_answers(previous)
    filled = 0
    for organisation_id in sorted(_invited_boards(survey) - answered):
        source_id = sources.get(organisation_id)
        if source_id is None:
            continue
        source = db.session.get_one(Response, source_id)
        draft = Response(
            survey_id=survey.id,
            organisation_id=organisation_id,
            respondent_name=BOARD_ANSWER_NAME,
            is_board_answer=True,
            created_at=now,
            updated_at=now,
        )
        db.session.add(draft)
        _copy_answers(source, draft, questions)
        filled += 1
    db.session.flush()
    return filled


@dataclass
class QuestionChange:
    """How a question of a round compares with the previous round."""

    status: str  # "new", "changed" or "same"
    # Boards whose answer now differs from their previous one, of those that answered both.
    changed_answers: int = 0
    compared: int = 0


def previous_answers(survey: Survey) -> dict[int, dict[int, AnswerInput]]:
    """Organisation id → question id (of `survey`) → that board's answer in the previous
    round, for unchanged questions only; {} for a survey that is no round."""
    previous = survey.previous_round
    if previous is None:
        return {}
    by_previous = {
        q.previous_question_id: q.id
        for q in answerable_questions(survey)
        if unchanged_since_previous_round(q)
    }
    answers: dict[int, dict[int, AnswerInput]] = {}
    for row in iter_response_rows(previous, BOARD_ANSWER):
        answers[row.organisation_id] = {
            by_previous[qid]: answer for qid, answer in row.answers.items() if qid in by_previous
        }
    return answers


def previous_answer_texts(survey: Survey) -> dict[tuple[int, int], str]:
    """(organisation id, question id) → the board's previous-round answer as plain text:
    the column "Förra omgången" beside each answer, for the workbook of a round."""
    questions = {q.id: q for q in answerable_questions(survey)}
    texts = {}
    for organisation_id, answers in previous_answers(survey).items():
        for question_id, answer in answers.items():
            question = questions[question_id]
            texts[organisation_id, question_id] = kind_of(question).plain_text(question, answer)
    return texts


def round_changes(survey: Survey, selection: Selection) -> dict[int, QuestionChange]:
    """Question id → what changed since the previous round: the question itself, and how
    many of the selected responses answer it differently from their board's last time."""
    if survey.previous_round is None:
        return {}
    questions = answerable_questions(survey)
    changes = {
        q.id: QuestionChange(
            "same"
            if unchanged_since_previous_round(q)
            else ("changed" if q.previous_question_id else "new")
        )
        for q in questions
    }
    before = previous_answers(survey)
    for row in iter_response_rows(survey, selection):
        _compare(questions, changes, row, before.get(row.organisation_id))
    return changes


def _compare(
    questions: list[Question],
    changes: dict[int, QuestionChange],
    row: ResponseRow,
    before: dict[int, AnswerInput] | None,
) -> None:
    if before is None:
        return
    for question in questions:
        old = before.get(question.id)
        new = row.answers.get(question.id)
        if old is None or new is None:
            continue
        change = changes[question.id]
        change.compared += 1
        if kind_of(question).plain_text(question, old) != kind_of(question).plain_text(
            question, new
        ):
            change.changed_answers += 1
