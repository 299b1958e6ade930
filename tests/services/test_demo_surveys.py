from datetime import UTC, datetime

from sqlalchemy import func, select

from coordinator.demo.loading import load_demo_data
from coordinator.demo.surveys import load_synthetic_survey
from coordinator.extensions import db
from coordinator.models import Answer, Invitation, Response
from coordinator.services.surveys.followup import build_dashboard
from coordinator.services.surveys.invitations import find_invitation_by_token

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def test_demo_rus_survey_as_the_boards_answered_it(app):
    result = load_demo_data("demo password 1", now=NOW)
    survey = result["survey"]
    assert survey.state == "open"
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 21
    board = build_dashboard(survey)
    assert board.boards_answered == 12  # nine on time and three late
    assert (board.count("on_time"), board.count("late"), board.count("draft")) == (9, 3, 2)
    invitation = find_invitation_by_token(result["example_token"])
    assert invitation is not None and invitation.survey is survey
    assert load_demo_data("demo password 1", now=NOW)["example_token"] is None  # once only


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
