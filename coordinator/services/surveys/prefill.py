"""Answers pre-filled from the previous round, and what makes a question "unchanged".

A question of a later round keeps a link to the question it was copied from. It counts as
unchanged while its kind, text, options and settings are those of that question; only an
unchanged question keeps an answer copied from the previous round. Such an answer is
`prefilled` until a respondent saves or submits the form it stands in.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete

from coordinator.extensions import db
from coordinator.models import Answer, Question, Response


def unchanged_since_previous_round(question: Question) -> bool:
    previous = question.previous_question
    return (
        previous is not None
        and previous.kind == question.kind
        and previous.text == question.text
        and list(previous.options or []) == list(question.options or [])
        and dict(previous.settings or {}) == dict(question.settings or {})
    )


def drop_stale_prefill(question: Question) -> None:
    """After a question of a round is changed: its pre-filled answers no longer fit it."""
    if question.previous_question_id is None or unchanged_since_previous_round(question):
        return
    db.session.execute(
        delete(Answer).where(Answer.question_id == question.id, Answer.prefilled.is_(True))
    )


def prefilled_questions(response: Response | None) -> set[int]:
    """The questions whose answer in `response` still waits to be confirmed or changed."""
    if response is None or response.submitted:
        return set()
    return {answer.question_id for answer in response.answers if answer.prefilled}


def confirm_prefilled(response: Response, question_ids: Iterable[int] | None = None) -> None:
    """The respondent saved these answers (None: all of them): no longer marked."""
    wanted = None if question_ids is None else set(question_ids)
    for answer in response.answers:
        if answer.prefilled and (wanted is None or answer.question_id in wanted):
            answer.prefilled = False
