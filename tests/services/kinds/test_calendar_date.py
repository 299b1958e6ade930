"""Dates as ÅÅÅÅ-MM-DD: accepted ones read back exactly; refused ones get a message."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordinator.models import Question
from coordinator.services.surveys.kinds import kind_named
from coordinator.services.surveys.kinds.answers import AnswerInput
from coordinator.services.surveys.kinds.calendar_date import parse_date
from coordinator.services.surveys.responses import save_answers
from tests.services.kinds.support import NOW, WITH_DATABASE, comments, reread, survey_with

DATE = kind_named("calendar_date")
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(
    days,
    st.sampled_from(
        [
            "{:%Y-%m-%d}",
            "{:%Y%m%d}",
            "{:%Y/%m/%d}",
            "{:%Y.%m.%d}",
            "{d.year}-{d.month}-{d.day}",
            "{:%Y %m %d}",
        ]
    ),
)
def test_a_date_written_as_year_month_day_reads_back_exactly(day, pattern):
    typed = pattern.format(day, d=day) if "{:" in pattern else pattern.format(d=day)
    assert parse_date(f" {typed} ") == day


def test_messages_at_the_field():
    question = Question(id=3, number="3", text="Sedan när?", kind="calendar_date")
    check = lambda text: DATE.check(question, AnswerInput(text=text))  # noqa: E731
    assert check("2025-03-01") == {} and check("") == {}
    assert check("2025-02-30") == {
        "q3_text": "Datumet i fråga 3 finns inte. Skriv det som ÅÅÅÅ-MM-DD, till exempel 2025-03-01"
    }
    assert check("1 mars") == {
        "q3_text": "Skriv datumet i fråga 3 som ÅÅÅÅ-MM-DD, till exempel 2025-03-01"
    }
    assert "mellan 1900 och 2100" in check("1025-03-01")["q3_text"]
    stored = AnswerInput(value=date(2025, 3, 1))
    assert DATE.form_text(stored) == DATE.plain_text(question, stored) == "2025-03-01"
    assert DATE.cells(question, stored) == [date(2025, 3, 1)]


@pytest.mark.parametrize("typed", ["01-03-2025", "2025-3", "idag", "2025-03-01T10:00"])
def test_not_a_date(typed):
    with pytest.raises(ValueError):
        parse_date(typed)


@WITH_DATABASE
@given(day=days)
def test_what_is_accepted_is_stored_and_read_back_exactly(app, day):
    question, _, response = survey_with(
        Question(number="3", text="Sedan när?", kind="calendar_date")
    )
    assert (
        save_answers(response, {question.id: AnswerInput(text=day.isoformat())}, None, NOW).errors
        == {}
    )
    assert reread(response)[question.id].value == day


@WITH_DATABASE
@given(
    typed=st.text(min_size=1, max_size=20).filter(lambda t: t.strip() and not _date(t)),
    comment=comments,
)
def test_what_is_refused_gets_a_message_and_nothing_else_is_lost(app, typed, comment):
    question, text, response = survey_with(
        Question(number="3", text="Sedan när?", kind="calendar_date")
    )
    result = save_answers(
        response,
        {question.id: AnswerInput(text=typed), text.id: AnswerInput(text=comment)},
        None,
        NOW,
    )
    assert set(result.errors) == {f"q{question.id}_text"}
    stored = reread(response)
    assert question.id not in stored
    if comment.strip():
        assert stored[text.id].text == comment


def _date(text):
    try:
        return parse_date(text)
    except ValueError:
        return None
