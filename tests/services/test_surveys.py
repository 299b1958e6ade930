"""Deadlines, lateness, closing and states; the RUS 2018 template word for word."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coordinator.data import rus2018
from coordinator.extensions import db
from coordinator.localtime import local_datetime
from coordinator.models import DeadlineExtension, Question
from coordinator.services.errors import PastDeadlineError, SurveyError
from coordinator.services.register.seed import seed_reference_data
from coordinator.services.surveys.building import create_survey_from_rus2018, update_survey_settings
from coordinator.services.surveys.questions import question_tree
from coordinator.services.surveys.states import (
    can_submit,
    close_survey,
    effective_deadline,
    extend_deadline,
    is_closed,
    is_late,
    open_survey,
    reopen_survey,
)
from tests.factories import make_organisation, make_project, make_survey, make_user

SEED = Path(__file__).resolve().parents[1] / "data" / "seed_rus2018.txt"


def test_late_only_strictly_after_the_deadline_second(app):
    deadline = local_datetime(2018, 8, 23, 23, 59)
    survey = make_survey(deadline_at=deadline)
    org = make_organisation()
    assert not is_late(survey, org.id, deadline - timedelta(seconds=1))
    assert not is_late(survey, org.id, deadline)
    assert is_late(survey, org.id, deadline + timedelta(seconds=1))


def test_deadline_across_the_daylight_saving_change(app):
    # 28 October 2018, 02:30 happens twice in Stockholm; zoneinfo takes the first (CEST).
    deadline = local_datetime(2018, 10, 28, 2, 30)
    assert deadline.astimezone(UTC) == datetime(2018, 10, 28, 0, 30, tzinfo=UTC)
    survey = make_survey(deadline_at=deadline)
    db.session.commit()
    db.session.expire_all()
    assert survey.deadline_at == datetime(2018, 10, 28, 0, 30, tzinfo=UTC)
    one_hour_later_in_utc = datetime(2018, 10, 28, 1, 30, tzinfo=UTC)  # 02:30 CET, the second one
    assert is_late(survey, None, one_hour_later_in_utc)
    spring = local_datetime(2019, 3, 31, 12, 0)
    assert spring.astimezone(UTC).hour == 10  # CEST after the spring change


def test_extension_for_one_organisation(app):
    survey = make_survey(deadline_at=datetime(2018, 8, 23, 21, 59, tzinfo=UTC))
    skane, dalarna = make_organisation("Skåne", "12"), make_organisation("Dalarna", "20")
    later = datetime(2018, 8, 27, 21, 59, tzinfo=UTC)
    extend_deadline(survey, skane.id, later, make_user(), now=later)
    at = datetime(2018, 8, 25, 10, 0, tzinfo=UTC)
    assert effective_deadline(survey, skane.id) == later
    assert not is_late(survey, skane.id, at)
    assert is_late(survey, dalarna.id, at)
    with pytest.raises(SurveyError):
        extend_deadline(
            survey, skane.id, survey.deadline_at - timedelta(days=1), make_user(), now=at
        )
    assert len(survey.deadline_extensions) == 1 and isinstance(
        survey.deadline_extensions[0], DeadlineExtension
    )


def test_closing_time_and_states(app):
    now = datetime(2018, 8, 1, tzinfo=UTC)
    survey = make_survey(state="draft", closes_at=now + timedelta(days=30))
    assert not can_submit(survey, now)
    with pytest.raises(SurveyError):
        reopen_survey(survey, None, now)  # a draft is opened, not reopened
    open_survey(survey, None, now)
    assert can_submit(survey, now) and survey.opened_at == now
    closing = now + timedelta(days=30)
    assert not is_closed(survey, closing - timedelta(seconds=1))
    assert is_closed(survey, closing) and not can_submit(survey, closing)
    with pytest.raises(SurveyError):
        open_survey(survey, None, now)  # already open
    close_survey(survey, None, now)
    assert survey.state == "closed" and not can_submit(survey, now)
    with pytest.raises(SurveyError):
        close_survey(survey, None, now)
    reopen_survey(survey, None, now)
    assert survey.state == "open" and survey.closed_at is None
    close_survey(survey, None, now)
    with pytest.raises(SurveyError, match="Stängningstiden"):
        reopen_survey(survey, None, closing)
    empty = make_survey(state="draft", questions=[])
    with pytest.raises(SurveyError, match="minst en fråga"):
        open_survey(empty, None, now)
    headings_only = make_survey(
        state="draft", questions=[Question(number="1", text="Rubrik", kind="heading")]
    )
    with pytest.raises(SurveyError):
        open_survey(headings_only, None, now)


def test_rus2018_template_is_the_seed_word_for_word(app):
    seed_reference_data()
    survey = create_survey_from_rus2018(make_project(), None, now=datetime.now(UTC))
    text = SEED.read_text(encoding="utf-8")
    assert survey.introduction in text
    numbers = [q.number for q in survey.questions]
    assert numbers == ["1", "2", "2a", "2b", "2c", "2d", "3", "4"]
    for question in survey.questions:
        assert question.text in text, question.number
    kinds = {q.number: q.kind for q in survey.questions}
    assert kinds["1"] == kinds["2a"] == kinds["2b"] == "yes_no_comment"
    assert kinds["2d"] == "multiple_choice"
    sectors = {q.number: q for q in survey.questions}["2d"]
    assert [o["value"] for o in sectors.options][:3] == ["A", "B", "C"] and sectors.allow_other
    assert not {q.number: q for q in survey.questions}["4"].required
    groups = question_tree(survey)
    assert [g.question.number for g in groups] == ["1", "2", "3", "4"]
    assert [c.number for c in groups[1].children] == ["2a", "2b", "2c", "2d"]
    assert survey.deadline_at == local_datetime(2018, 8, 23, 23, 59)


def test_a_new_survey_from_the_template_gets_a_deadline_note_of_its_own(app):
    seed_reference_data()
    anna = make_user(name="Anna Andersson", email="anna.andersson@example.org")
    deadline = local_datetime(2026, 12, 15, 23, 59)
    survey = create_survey_from_rus2018(make_project(), anna, datetime.now(UTC), deadline)
    assert survey.deadline_note == (
        "Hinner ni inte svara i tid tar vi gärna emot svar senare också. "
        "Frågor om enkäten besvaras av Anna Andersson (anna.andersson@example.org)."
    )
    assert "augusti" not in survey.deadline_note and survey.deadline_note != rus2018.DEADLINE_NOTE
    # Written from the settings, it follows them; written by hand, it stays.
    closes = local_datetime(2026, 12, 22, 12, 0)
    settings = {
        "title": survey.title,
        "introduction": survey.introduction,
        "deadline_note": survey.deadline_note,
        "deadline_at": deadline,
        "closes_at": closes,
        "reply_to_user_id": None,
        "reminder_days": [],
        "actor": anna,
        "now": datetime.now(UTC),
    }
    update_survey_settings(survey, **settings)
    assert survey.deadline_note == (
        "Hinner ni inte svara i tid tar vi emot svar till och med "
        "tisdag 22 december 2026 kl. 12:00."
    )
    update_survey_settings(survey, **{**settings, "deadline_note": "Egen text.", "closes_at": None})
    assert survey.deadline_note == "Egen text."


def test_the_2018_demo_keeps_the_2018_deadline_note(app):
    from coordinator.demo.surveys import load_rus_survey

    seed_reference_data()
    survey, _ = load_rus_survey(datetime.now(UTC))
    assert survey.deadline_note == rus2018.DEADLINE_NOTE


def test_opening_with_a_deadline_already_past_needs_a_confirmation(app):
    survey = make_survey(state="draft", deadline_at=local_datetime(2026, 3, 29, 23, 59))
    now = local_datetime(2026, 4, 1, 9, 0)
    with pytest.raises(PastDeadlineError) as refused:
        open_survey(survey, None, now)
    assert refused.value.deadline == survey.deadline_at and survey.state == "draft"
    open_survey(survey, None, now, past_deadline_confirmed=True)
    assert survey.state == "open"
