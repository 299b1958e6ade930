from datetime import UTC, datetime

from sqlalchemy import func, select

from coordinator.demo.loading import load_demo_data
from coordinator.demo.surveys import load_synthetic_survey
from coordinator.extensions import db
from coordinator.models import Answer, Invitation, Response
from coordinator.services.results.summary import Selection, summarise_survey
from coordinator.services.surveys.followup import build_dashboard
from coordinator.services.surveys.invitations import find_invitation_by_token
from coordinator.services.surveys.kinds import kind_names

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def test_demo_rus_survey_as_the_boards_answered_it(app):
    result = load_demo_data("demo password 1", now=NOW)
    survey = result["survey"]
    assert survey.state == "open"
    invited = select(func.count()).select_from(Invitation).where(Invitation.survey_id == survey.id)
    assert db.session.scalar(invited) == 21
    board = build_dashboard(survey)
    assert board.boards_answered == 12  # nine on time and three late
    assert (board.count("on_time"), board.count("late"), board.count("draft")) == (9, 3, 2)
    invitation = find_invitation_by_token(result["example_token"])
    assert invitation is not None and invitation.survey is survey
    assert load_demo_data("demo password 1", now=NOW)["example_token"] is None  # once only


def test_the_2025_round_uses_every_kind_and_the_boards_answered_it(app):
    result = load_demo_data("demo password 1", now=NOW)
    survey = result["survey_2025"]
    assert survey.project is result["survey"].project and survey is not result["survey"]
    assert {q.kind for q in survey.questions} == set(kind_names())
    assert any(q.condition_question is not None for q in survey.questions)
    board = build_dashboard(survey)
    # One draft is a board's answer that two colleagues are writing together.
    assert (board.count("on_time"), board.count("late"), board.count("draft")) == (9, 2, 2)
    summary = {s.question.number: s for s in summarise_survey(survey, Selection()).questions}
    assert summary["1a"].figures[1].value == 9  # attached files
    assert summary["2"].figures[0].value == 11  # numbers
    assert summary["1b"].not_applicable == 8  # a follow-up to "Nej"
    assert len(summary["5a"].table.rows) == 8  # one per sector
    invitation = find_invitation_by_token(result["example_token_2025"])
    assert invitation is not None and invitation.survey is survey and invitation.response is None
    assert load_demo_data("demo password 1", now=NOW)["example_token_2025"] is None


def test_the_2025_round_shows_a_board_answer_with_two_writers(app):
    from coordinator.services.surveys.board_answers import board_answer_of, writers

    result = load_demo_data("demo password 1", now=NOW)
    invitation = find_invitation_by_token(result["example_token_2025"])
    board = board_answer_of(invitation)
    assert board is not None and not board.submitted
    names = {w.name for w in writers(board).values()}
    assert len(names) == 2 and invitation.contact.name in names
    row = next(r for r in build_dashboard(result["survey_2025"]).rows if r.board_answer)
    assert (row.organisation, row.board_answer, row.personal) == (
        invitation.organisation,
        "draft",
        0,
    )


def test_synthetic_survey_for_benchmarks(app):
    load_demo_data("demo password 1", now=NOW)
    survey = load_synthetic_survey(300, NOW)
    assert (
        db.session.scalar(
            select(func.count()).select_from(Response).where(Response.survey_id == survey.id)
        )
        == 300
    )
    answers = db.session.scalar(
        select(func.count())
        .select_from(Answer)
        .join(Response)
        .where(Response.survey_id == survey.id)
    )
    assert answers == 300 * 7


def test_demo_shows_a_bounced_contact_and_a_meeting_with_answers(app):
    from coordinator.models import Attendance, Contact
    from coordinator.services.projects.attendance import attendance_overview

    result = load_demo_data("demo password 1", now=NOW)
    bouncing = db.session.scalars(select(Contact).where(Contact.bouncing_at.is_not(None))).all()
    assert len(bouncing) == 1 and "5.1.1" in bouncing[0].bounce_reason
    board = build_dashboard(result["survey"])
    assert board.bouncing == 1 and any(row.away for row in board.rows)
    meeting = db.session.scalar(select(Attendance)).meeting
    overview = attendance_overview(meeting)
    assert overview.count("accepted") and overview.count("declined") and overview.count(None)
    load_demo_data("demo password 1", now=NOW)  # again: nothing more
    assert (
        db.session.scalar(
            select(func.count()).select_from(Contact).where(Contact.bouncing_at.is_not(None))
        )
        == 1
    )


def test_the_2025_round_of_the_rus_survey_is_prefilled_and_shared(app):
    from coordinator.services.results.sharing import current_share
    from coordinator.services.surveys.board_answers import board_answer_of
    from coordinator.services.surveys.prefill import prefilled_questions
    from coordinator.services.surveys.rounds import round_changes

    result = load_demo_data("demo password 1", now=NOW)
    survey = result["round_2025"]
    assert survey.previous_round is result["survey"]
    board = build_dashboard(survey)
    assert (board.count("on_time"), board.count("late"), board.count("draft")) == (5, 1, 6)
    invitation = find_invitation_by_token(result["example_token_prefilled"])
    assert invitation.survey is survey
    assert invitation.response is None  # the board's shared answer holds the pre-fill
    prefilled = prefilled_questions(board_answer_of(invitation))
    numbers = {q.id: q.number for q in survey.questions}
    assert prefilled and "4" not in {numbers[i] for i in prefilled}  # reworded for 2025
    changes = round_changes(survey, Selection())
    by_number = {numbers[i]: c for i, c in changes.items()}
    assert by_number["4"].status == "changed"
    assert (by_number["1"].changed_answers, by_number["1"].compared) == (3, 6)
    share = current_share(survey, NOW)
    assert share is not None and share.on_public_page
    assert load_demo_data("demo password 1", now=NOW)["round_2025"] is None
