"""The workbook of a round shows each board's previous answer beside the new one."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

from openpyxl import load_workbook

from coordinator.services.results.workbook import write_workbook
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    save_answers,
    submit_response,
)
from coordinator.services.surveys.rounds import start_next_round
from tests.factories import make_contact, make_invitation, make_organisation, make_survey, make_user

DEADLINE = datetime(2018, 8, 23, 21, 59, tzinfo=UTC)
BEFORE = DEADLINE - timedelta(days=2)
NOW = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)


def _submit(survey, contact, comment, at):
    invitation, _ = make_invitation(survey, contact)
    response = get_or_create_response(invitation, at)
    q = {q.number: q for q in survey.questions}
    answers = {
        q["1"].id: AnswerInput(choice="yes", text=comment),
        q["2a"].id: AnswerInput(text="Energikartläggning"),
        q["3"].id: AnswerInput(options=["C"]),
    }
    save_answers(response, answers, response.version, at)
    assert submit_response(response, at) == {}


def _sheet_rows(survey, name):
    target = BytesIO()
    write_workbook(survey, target, now=NOW)
    return [
        list(r) for r in load_workbook(target, read_only=True)[name].iter_rows(values_only=True)
    ]


def test_a_rounds_question_sheets_show_the_previous_answer_beside_the_new(app):
    survey = make_survey(deadline_at=DEADLINE)
    board = make_organisation("Länsstyrelsen Skåne", "12")
    _submit(survey, make_contact(board), "Klimatrådet", BEFORE)
    assert "Förra omgången" not in _sheet_rows(survey, "1")[2]  # a first round has none

    new = start_next_round(survey, make_user(), NOW)
    new.deadline_at, new.state = NOW + timedelta(days=30), "open"
    _submit(new, make_contact(board, email="ny@example.org"), "Miljömålsrådet", NOW)
    rows = _sheet_rows(new, "1")
    header = rows[2]
    assert header[-1] == "Förra omgången"
    answers = [r for r in rows[3:] if r[0] == "Länsstyrelsen Skåne"]
    assert answers and all("Miljömålsrådet" in str(r) for r in answers[:1])
    assert "Klimatrådet" in answers[0][-1]
