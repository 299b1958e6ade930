"""Demo: one board's board answer in the 2025 round, written by two colleagues (the
miljömålssamordnare and a colleague she passed the survey on to), not yet submitted."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Invitation, Response, Survey
from coordinator.services.surveys.board_answers import (
    fingerprints,
    get_or_create_board_answer,
    save_board_answer,
)
from coordinator.services.surveys.invitations import create_invitation
from coordinator.services.surveys.kinds.answers import AnswerInput
from coordinator.services.surveys.questions import answerable_questions
from coordinator.services.surveys.responses import working_answers

# (question number, answer), by writer: the invited coordinator first, then her colleague.
FIRST_WRITER = {
    "1": AnswerInput(choice="no", text="Inte ännu. Arbetet samlas i länets klimatråd."),
    "1b": AnswerInput(
        text="Ja, en näringslivsstrategi för klimat och miljömål tas fram under 2026 "
        "tillsammans med regionen."
    ),
}
SECOND_WRITER = {
    "4a": AnswerInput(
        text="Fler gemensamma mötesplatser med branschorganisationerna, och en kontaktväg in "
        "till länsstyrelsen för företag som vill ställa om."
    ),
    "8": AnswerInput(text="Bra att enkäten kommer igen. Vi svarar gemensamt för länsstyrelsen."),
}


def load_board_answer(survey: Survey, now: datetime) -> Response | None:
    """The board answer of the first invited board that has no response yet (the board
    whose link the demo prints), or None when there is no such board with a colleague."""
    answered = set(
        db.session.scalars(select(Response.organisation_id).where(Response.survey_id == survey.id))
    )
    invitations = db.session.scalars(
        select(Invitation).where(Invitation.survey_id == survey.id).order_by(Invitation.id)
    )
    for invitation in invitations:
        organisation = invitation.organisation
        colleague = next(
            (c for c in organisation.contacts if c.id != invitation.contact_id and c.email),
            None,
        )
        if organisation.id in answered or colleague is None:
            continue
        start = (survey.opened_at or now) + timedelta(days=10)
        passed_on, _ = create_invitation(survey, colleague, None, start)
        passed_on.forwarded_from_id = invitation.id
        passed_on.sent_at = start
        board = get_or_create_board_answer(invitation, start)
        _write(board, FIRST_WRITER, invitation, start)
        _write(board, SECOND_WRITER, passed_on, start + timedelta(days=2, hours=3))
        return board
    return None


def _write(board: Response, answers: dict[str, AnswerInput], by: Invitation, at: datetime) -> None:
    questions = answerable_questions(board.survey)
    numbers = {q.number: q.id for q in questions}
    seen = fingerprints(questions, working_answers(board))
    posted = {numbers[number]: answer for number, answer in answers.items()}
    save_board_answer(board, posted, seen, at, invitation=by, check_open=False)
    by.opened_at = by.opened_at or at
