"""The demo's 2025 round of the RUS 2018 questionnaire, made with "Ny omgång": each board
that answered in 2018 finds its answers pre-filled in its board answer. Question 4 was
reworded for 2025, so its answers are not pre-filled. Six boards have confirmed (some
changed) and submitted their board answers, the others still have their pre-filled
drafts, and the results are shared with the boards and on the project's public page.

The changes to the boards' answers are made up for the demo; they quote no one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from coordinator.data import rus2018
from coordinator.demo.surveys import remind_as_it_was
from coordinator.extensions import db
from coordinator.localtime import local_datetime
from coordinator.models import Invitation, Response, Survey, User
from coordinator.models.types import utcnow
from coordinator.services.results.sharing import ShareOptions, share_results
from coordinator.services.surveys.board_answers import fingerprints, save_board_answer
from coordinator.services.surveys.invitations import invitation_token
from coordinator.services.surveys.prefill import confirm_prefilled
from coordinator.services.surveys.questions import answerable_questions, update_question
from coordinator.services.surveys.responses import stored_answers
from coordinator.services.surveys.rounds import start_next_round

TITLE = "Näringslivets arbete med miljömålen och Agenda 2030 – omgång 2025"
QUESTION_4_2025 = "Övrigt som ni vill föra fram inför workshopen 2025?"

CREATED_LOCAL = (2025, 8, 18, 10, 0)
OPENED_LOCAL = (2025, 8, 25, 9, 0)
DEADLINE_LOCAL = (2025, 9, 26, 15, 0)
SHARED_LOCAL = (2025, 10, 6, 13, 0)

# County code → (submitted, local time; a line added to the comment of question 1, and a
# sector added to 2d, or "" to confirm the 2018 answer as it was).
SUBMITTED: dict[str, tuple[tuple[int, int, int, int, int], str, str]] = {
    "01": ((2025, 9, 2, 14, 10), "", ""),
    "03": ((2025, 9, 10, 9, 45), "Sedan 2023 finns ett regionalt klimatnätverk för företag.", "D"),
    "12": ((2025, 9, 12, 16, 5), "Klimatsamverkan har fått en egen företagsgrupp.", ""),
    "14": ((2025, 9, 19, 11, 30), "", "H"),
    "18": ((2025, 9, 24, 8, 55), "", ""),
    "20": ((2025, 9, 29, 13, 20), "Industrisamtalet fortsätter med två träffar om året.", ""),
}


def load_rus_round_2025(leader: User) -> tuple[Survey | None, str | None]:
    """The round and a link token of a board whose board answer is still pre-filled."""
    if db.session.scalar(select(Survey).where(Survey.title == TITLE)) is not None:
        return None, None
    previous = db.session.scalar(select(Survey).where(Survey.title == rus2018.TITLE))
    if previous is None:
        return None, None
    created = local_datetime(*CREATED_LOCAL)
    survey = start_next_round(previous, leader, created)
    survey.title = TITLE
    fourth = next(q for q in survey.questions if q.number == "4")
    update_question(
        fourth,
        number="4",
        text=QUESTION_4_2025,
        help_text=fourth.help_text,
        kind=fourth.kind,
        required=fourth.required,
        options=None,
        allow_other=False,
        parent_id=None,
        actor=leader,
        now=created,
    )
    opened = local_datetime(*OPENED_LOCAL)
    survey.deadline_at = local_datetime(*DEADLINE_LOCAL)
    survey.deadline_note = "Sena svar tas också emot."
    survey.state = "open"
    survey.opened_at = opened
    for invitation in db.session.scalars(select(Invitation).where(Invitation.survey == survey)):
        invitation.sent_at = opened
    drafts = {
        r.organisation.county_code or "": r
        for r in db.session.scalars(select(Response).where(Response.survey == survey))
    }
    for code, (when, comment, sector) in SUBMITTED.items():
        if code in drafts:
            _confirm(survey, drafts[code], local_datetime(*when), comment, sector)
    share_results(
        survey,
        ShareOptions(include_free_text=True, on_public_page=True),
        leader,
        local_datetime(*SHARED_LOCAL),
    )
    db.session.flush()
    invitations = list(db.session.scalars(select(Invitation).where(Invitation.survey == survey)))
    remind_as_it_was(survey, invitations, utcnow())
    waiting = [drafts[code] for code in sorted(drafts) if code not in SUBMITTED]
    link = _first_invitation(waiting[0]) if waiting else None
    return survey, invitation_token(link.token_nonce) if link else None


def _first_invitation(response: Response) -> Invitation | None:
    return db.session.scalars(
        select(Invitation)
        .where(
            Invitation.survey_id == response.survey_id,
            Invitation.organisation_id == response.organisation_id,
        )
        .order_by(Invitation.id)
    ).first()


def _confirm(survey: Survey, response: Response, at: datetime, comment: str, sector: str) -> None:
    """A colleague of the board confirms its pre-filled board answer, changing what is
    given, and submits it."""
    questions = {q.number: q for q in survey.questions}
    answers = stored_answers(response)
    seen = fingerprints(answerable_questions(survey), answers)
    first = answers.get(questions["1"].id)
    if comment and first is not None:
        first.text = f"{first.text}\n{comment}".strip()
    sectors = answers.get(questions["2d"].id)
    if sector and sectors is not None and sector not in sectors.options:
        sectors.options = [*sectors.options, sector]
    writer = _first_invitation(response)
    save_board_answer(response, answers, seen, at, invitation=writer, check_open=False)
    confirm_prefilled(response)
    response.state = "submitted"
    response.submitted_at = response.first_submitted_at = at
    response.late = at > survey.deadline_at
    response.is_coordinated = True
