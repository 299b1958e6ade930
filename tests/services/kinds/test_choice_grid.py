"""A grid: several rows answered on the same scale or options; one row per grid row in
the results and the workbook."""

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

GRID = kind_named("choice_grid")
ROWS = [{"value": "A", "label": "Jordbruk"}, {"value": "C", "label": "Tillverkning"}]
SCALE = {
    "rows": ROWS,
    "scale": True,
    "points": 5,
    "low_label": "Dåligt",
    "high_label": "Bra",
    "dont_know": True,
}
OPTIONS = [{"value": "Ja", "label": "Ja"}, {"value": "Nej", "label": "Nej"}]


def _question(settings, options=()):
    return Question(
        id=9,
        number="9",
        text="Per sektor",
        kind="choice_grid",
        settings=settings,
        options=list(options),
    )


def test_posted_rows_are_read_by_position_and_kept_by_row_value():
    question = _question(SCALE)
    form = {"q9_row0_choice": "4", "q9_row1_choice": "dont_know", "q9_row2_choice": "5"}
    answer = GRID.parse(question, form)
    assert answer.rows == {"A": "4", "C": "dont_know"}
    assert GRID.normalise(question, AnswerInput(rows={"A": "9", "C": "2", "X": "1"})).rows == {
        "C": "2"
    }
    assert GRID.missing(question, AnswerInput(rows={"C": "2"})) == {
        "q9_row0_choice": "Svara på varje rad i fråga 9 (1 saknas)"
    }
    assert GRID.plain_text(question, answer) == "Jordbruk: 4 av 5\nTillverkning: Vet ej"
    assert GRID.cells(question, answer) == [4, "Vet ej"]
    assert GRID.sheet_rows(question, answer) == [("Jordbruk", 4), ("Tillverkning", "Vet ej")]
    assert [c.header for c in GRID.columns(question)] == [
        "9: Per sektor – Jordbruk",
        "9: Per sektor – Tillverkning",
    ]


def test_a_grid_on_options():
    question = _question({"rows": ROWS, "scale": False}, OPTIONS)
    answer = AnswerInput(rows={"A": "Ja", "C": "Nej"})
    assert GRID.cells(question, answer) == ["Ja", "Nej"]
    assert GRID.plain_text(question, answer) == "Jordbruk: Ja\nTillverkning: Nej"


def test_the_builder_needs_rows_and_either_options_or_a_scale():
    with pytest.raises(SurveyError, match="rader"):
        GRID.clean_settings({"grid_rows": " \n ", "grid_scale": True})
    with pytest.raises(SurveyError, match="skala"):
        GRID.clean_settings({"grid_rows": "Jordbruk", "options": ""})
    kept = GRID.clean_settings(
        {"grid_rows": "Jordbruk\nSkogsbruk\nJordbruk", "grid_scale": True, "scale_points": "5"},
        current={"rows": [{"value": "A", "label": "Jordbruk"}]},
    )
    assert kept["rows"] == [
        {"value": "A", "label": "Jordbruk"},
        {"value": "Skogsbruk", "label": "Skogsbruk"},
    ]


def test_summary_one_row_per_grid_row_on_known_data():
    question = _question(SCALE)
    tally = GRID.tally(question, collect_texts=False)
    for rows in ({"A": "5", "C": "2"}, {"A": "4", "C": "dont_know"}, {"A": "4"}, {}):
        tally.add("Län", "", AnswerInput(rows=rows))
    table = tally.summary().table
    assert table.headers == [
        "Rad",
        "1 – Dåligt",
        "2",
        "3",
        "4",
        "5 – Bra",
        "Vet ej",
        "Obesvarade",
        "Medelvärde",
    ]
    assert table.rows == [
        ["Jordbruk", 0, 0, 0, 2, 1, 0, 1, Decimal("4.33")],
        ["Tillverkning", 0, 1, 0, 0, 0, 1, 2, Decimal("2")],
    ]
    assert table.counted == 6


@WITH_DATABASE
@given(
    st.dictionaries(
        st.sampled_from(["A", "C"]), st.sampled_from(["1", "2", "3", "4", "5", "dont_know"])
    )
)
def test_what_is_accepted_reads_back_exactly(app, rows):
    question, _, response = survey_with(
        Question(number="9", text="Per sektor", kind="choice_grid", settings=SCALE)
    )
    save_answers(response, {question.id: AnswerInput(rows=rows)}, None, NOW)
    stored = reread(response)
    assert (stored[question.id].rows if question.id in stored else {}) == rows
