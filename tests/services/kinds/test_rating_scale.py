"""A scale 1–5 or 1–7 with an optional "Vet ej": what it accepts, how it reads, and its
summary (the distribution and the mean of the answers on the scale)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordinator.models import Question
from coordinator.services.errors import SurveyError
from coordinator.services.surveys.kinds import kind_named
from coordinator.services.surveys.kinds.answers import AnswerInput
from coordinator.services.surveys.responses import save_answers
from tests.services.kinds.support import NOW, WITH_DATABASE, reread, survey_with

SCALE = kind_named("rating_scale")
SETTINGS = {
    "points": 5,
    "low_label": "Mycket dåligt",
    "high_label": "Mycket bra",
    "dont_know": True,
}


def _question(**changes):
    return Question(
        id=4, number="4", text="Hur väl?", kind="rating_scale", settings=SETTINGS | changes
    )


def test_the_scale_its_ends_and_dont_know():
    question = _question()
    assert SCALE.condition_choices(question) == [
        ("1", "1 – Mycket dåligt"),
        ("2", "2"),
        ("3", "3"),
        ("4", "4"),
        ("5", "5 – Mycket bra"),
        ("dont_know", "Vet ej"),
    ]
    assert SCALE.plain_text(question, AnswerInput(choice="4")) == "4 av 5"
    assert SCALE.plain_text(question, AnswerInput(choice="1")) == "1 av 5 – Mycket dåligt"
    assert SCALE.cells(question, AnswerInput(choice="dont_know")) == ["Vet ej"]
    assert SCALE.cells(question, AnswerInput(choice="4")) == [4]
    assert SCALE.normalise(_question(dont_know=False), AnswerInput(choice="dont_know")).empty
    assert SCALE.missing(question, AnswerInput()) == {
        "q4_choice": "Välj ett värde på skalan i fråga 4"
    }


def test_the_builder_offers_five_or_seven_points():
    assert SCALE.clean_settings({"scale_points": "7", "low_label": " Låg ", "dont_know": True}) == {
        "points": 7,
        "low_label": "Låg",
        "high_label": "",
        "dont_know": True,
    }
    with pytest.raises(SurveyError, match="1 till 5 eller"):
        SCALE.clean_settings({"scale_points": "10"})


@given(st.sampled_from(["1", "2", "3", "4", "5", "dont_know"]), st.text(max_size=5))
def test_a_value_on_the_scale_is_kept_and_anything_else_dropped(value, junk):
    question = _question()
    assert SCALE.normalise(question, AnswerInput(choice=value)).choice == value
    if junk not in ("1", "2", "3", "4", "5", "dont_know"):
        assert SCALE.normalise(question, AnswerInput(choice=junk)).choice == ""


def test_summary_distribution_and_mean_on_known_data():
    question = _question()
    tally = SCALE.tally(question, collect_texts=False)
    for value in ["5", "4", "4", "2", "dont_know", ""]:
        tally.add("Länsstyrelsen", "", AnswerInput(choice=value) if value else None)
    tally.skip()
    summary = tally.summary()
    assert summary.counts == [
        ("1 – Mycket dåligt", 0),
        ("2", 1),
        ("3", 0),
        ("4", 2),
        ("5 – Mycket bra", 1),
        ("Vet ej", 1),
    ]
    assert summary.unanswered == 1 and summary.not_applicable == 1
    assert [(str(f.label), f.value) for f in summary.figures] == [
        ("Svar på skalan", 4),
        ("Medelvärde", Decimal("3.75")),
    ]


@WITH_DATABASE
@given(value=st.sampled_from(["1", "2", "3", "4", "5", "dont_know"]))
def test_what_is_accepted_reads_back_exactly(app, value):
    question, _, response = survey_with(
        Question(number="4", text="Hur väl?", kind="rating_scale", settings=SETTINGS)
    )
    save_answers(response, {question.id: AnswerInput(choice=value)}, None, NOW)
    assert reread(response)[question.id].choice == value
