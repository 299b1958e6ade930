"""Numbers typed the Swedish way: what is accepted reads back exactly (through the
database too); what is refused gets a message and loses nothing else."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordinator.models import Question
from coordinator.services.surveys.kinds import kind_named
from coordinator.services.surveys.kinds.answers import AnswerInput
from coordinator.services.surveys.kinds.numbers import (
    NotANumber,
    TooPrecise,
    format_number,
    parse_number,
)
from coordinator.services.surveys.responses import save_answers, stored_answers
from tests.factories import make_invitation, make_survey

NOW = datetime(2025, 9, 10, 8, 0, tzinfo=UTC)
NUMERIC = kind_named("numeric")

numbers = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places),
    st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1),
    st.integers(min_value=0, max_value=6),
).filter(lambda d: len(d.as_tuple().digits) <= 15)


def grouped(value: Decimal, separator: str, decimal_mark: str) -> str:
    """ "1 234 567,5" with any separator between groups of three."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = format(abs(value), "f").partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    text = separator.join([whole, *groups])
    return sign + text + (decimal_mark + fraction if fraction else "")


@given(numbers, st.sampled_from([" ", "\u00a0", "\u202f", ""]), st.sampled_from([",", "."]))
def test_a_number_typed_the_swedish_way_reads_back_exactly(value, separator, mark):
    typed = grouped(value, separator, mark)
    assert parse_number(typed) == value
    assert parse_number(format_number(value)) == value
    minus = "\u2212"
    assert parse_number("  " + typed.replace("-", minus) + " ") == value


@pytest.mark.parametrize(
    "typed,value",
    [
        ("3,5", "3.5"),
        ("1 200", "1200"),
        ("1\u00a0200", "1200"),
        ("−4", "-4"),
        ("+7", "7"),
        ("1200.5", "1200.5"),
        ("0,000001", "0.000001"),
        ("-0", "0"),
        ("12 345 678,25", "12345678.25"),
    ],
)
def test_swedish_ways_of_writing(typed, value):
    assert parse_number(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["", "tolv", "1,2,3", "12 34", "1e5", "1 2000", "3,5 st", "--4"])
def test_not_a_number(typed):
    with pytest.raises(NotANumber):
        parse_number(typed)


@pytest.mark.parametrize("typed", ["1234567890123456", "0,0000001", "12345678901234,56"])
def test_more_digits_than_a_spreadsheet_keeps(typed):
    with pytest.raises(TooPrecise):
        parse_number(typed)


def test_numbers_read_the_swedish_way():
    assert format_number(Decimal("1200.50")) == "1200,5"
    assert format_number(Decimal("12345678.25")) == "12\u00a0345\u00a0678,25"
    assert format_number(Decimal("-12345")) == "-12\u00a0345"
    assert format_number(Decimal("1E+3")) == "1000"


def _question(**settings_):
    return Question(id=6, number="6", text="Hur många?", kind="numeric", settings=settings_)


def test_limits_whole_numbers_and_the_message_at_the_field():
    question = _question(minimum="0", maximum="100", integer=True, unit="st")
    check = lambda text: NUMERIC.check(question, AnswerInput(text=text))  # noqa: E731
    assert check("12") == {} and check("") == {}
    assert check("2,5") == {"q6_text": "Skriv ett heltal i fråga 6"}
    assert check("-1") == {"q6_text": "Talet i fråga 6 ska vara minst 0"}
    assert check("101") == {"q6_text": "Talet i fråga 6 ska vara högst 100"}
    assert "tal i fråga 6" in check("tolv")["q6_text"]
    assert NUMERIC.hint(question) == "Ett heltal från 0 till 100."
    assert NUMERIC.hint(_question(minimum="0.5")) == (
        "Ett tal, minst 0,5. Decimaler skrivs med komma, till exempel 2,5."
    )
    assert NUMERIC.plain_text(question, AnswerInput(value=Decimal("12"))) == "12 st"


def test_the_builder_reads_limits_the_swedish_way(app):
    assert NUMERIC.clean_settings(
        {"unit": " kr ", "minimum": "−1 000,5", "maximum": "2 000", "integer_only": False}
    ) == {"unit": "kr", "minimum": "-1000.5", "maximum": "2000", "integer": False}
    with pytest.raises(Exception, match="mindre än det minsta"):
        NUMERIC.clean_settings({"minimum": "10", "maximum": "1"})
    with pytest.raises(Exception, match="som ett tal"):
        NUMERIC.clean_settings({"minimum": "tio"})


def _survey():
    return make_survey(
        questions=[
            Question(number="1", text="Hur många?", kind="numeric", position=0, settings={}),
            Question(number="2", text="Kommentar", kind="long_text", position=1),
        ]
    )


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=numbers)
def test_what_is_accepted_is_stored_and_read_back_exactly(app, value):
    survey = _survey()
    response = _response(survey)
    number, _ = survey.questions
    result = save_answers(response, {number.id: AnswerInput(text=format_number(value))}, None, NOW)
    assert result.errors == {}
    app.extensions["sqlalchemy"].session.expire_all()
    assert stored_answers(response)[number.id].value == value


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    typed=st.text(min_size=1, max_size=30).filter(lambda t: not _accepted(t)),
    comment=st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1),
)
def test_what_is_refused_gets_a_message_and_nothing_else_is_lost(app, typed, comment):
    survey = _survey()
    response = _response(survey)
    number, text = survey.questions
    save_answers(response, {number.id: AnswerInput(text="7")}, None, NOW)
    result = save_answers(
        response,
        {number.id: AnswerInput(text=typed), text.id: AnswerInput(text=comment)},
        None,
        NOW,
    )
    assert result.saved and set(result.errors) == {f"q{number.id}_text"}
    stored = stored_answers(response)
    assert stored[number.id].value == Decimal(7)  # the stored number stays
    if comment.strip():
        assert stored[text.id].text == comment


def _accepted(text: str) -> bool:
    if not text.strip():
        return True
    try:
        parse_number(text)
    except ValueError:
        return False
    return True


def _response(survey):
    from coordinator.services.surveys.responses import get_or_create_response

    invitation, _ = make_invitation(survey)
    return get_or_create_response(invitation, NOW)
