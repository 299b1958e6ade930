"""The workbook and CSV, read back cell by cell."""

import csv
import io
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from coordinator.extensions import db
from coordinator.services.export import write_csv, write_workbook
from coordinator.services.responses import (
    AnswerInput,
    get_or_create_response,
    save_answers,
    set_coordinated,
    submit_response,
)
from tests.factories import make_contact, make_invitation, make_organisation, make_survey
from tests.support import missing

DEADLINE = datetime(2018, 8, 23, 21, 59, tzinfo=UTC)
NOW = datetime(2018, 8, 28, 8, 0, tzinfo=UTC)
HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://example.com","x")',
    "+46 70 123 45 67",
    "-5",
    "@SUM(A1)",
    "\tTabb först",
]


def _answer(survey, org, answers, at, name="Karin Berg"):
    invitation, _ = make_invitation(survey, make_contact(org, name=name))
    response = get_or_create_response(invitation, at)
    q = {q.number: q.id for q in survey.questions}
    save_answers(response, {q[k]: v for k, v in answers.items()}, None, at)
    assert submit_response(response, at) == {}
    return response


def _arrange():
    survey = make_survey(deadline_at=DEADLINE)
    skane = make_organisation("Länsstyrelsen Skåne", "12")
    dalarna = make_organisation("Länsstyrelsen Dalarna", "20")
    make_organisation("Länsstyrelsen Gotland", "09")
    first = _answer(
        survey,
        skane,
        {
            "1": AnswerInput("yes", "Klimatsamverkan Skåne"),
            "2a": AnswerInput(text="- Industrisamtal"),
            "3": AnswerInput(options=["C", "F"], other="Besöksnäring"),
        },
        DEADLINE - timedelta(days=2),
    )
    set_coordinated(first, True, None, NOW)
    _answer(
        survey,
        dalarna,
        {
            "1": AnswerInput("no", "Saknas ännu"),
            "2a": AnswerInput(text="Klimatkontrakt 2030"),
            "3": AnswerInput(options=["C"]),
        },
        DEADLINE + timedelta(days=3),
        name="Olle Ek",
    )
    db.session.commit()
    return survey


def _workbook(survey, **options):
    buffer = io.BytesIO()
    write_workbook(survey, buffer, now=NOW, **options)
    return buffer.getvalue()


def test_workbook_sheets_headers_counts_and_print_setup(app):
    survey = _arrange()
    data = _workbook(survey)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [
        "Översikt",
        "Alla svar",
        "1",
        "2a",
        "3",
        "4",
        "Sammanställning",
        "Frågor",
    ]
    overview = wb["Översikt"]
    assert overview["A1"].value == survey.title
    rows = {r[1]: r for r in overview.iter_rows(min_row=11, values_only=True)}
    assert (
        rows["Länsstyrelsen Skåne"][2] == "Svarat i tid" and rows["Länsstyrelsen Skåne"][5] == "Ja"
    )
    assert rows["Länsstyrelsen Dalarna"][2] == "Svarat sent"
    assert rows["Länsstyrelsen Gotland"][2] == "Ej svarat"
    assert overview["B5"].value == 1 and overview["B6"].value == 1  # on time, late
    alla = wb["Alla svar"]
    header = [c.value for c in alla[1]]
    assert header[6].startswith("1 Ja/Nej: Har ni strategier?") and header[7] == "1 Kommentar"
    skane = [c.value for c in alla[2]]
    assert skane[1] == "Länsstyrelsen Skåne" and skane[6:8] == ["Ja", "Klimatsamverkan Skåne"]
    assert skane[9] == "C Tillverkning; F Byggverksamhet; Annat, nämligen: Besöksnäring"
    assert isinstance(skane[5], datetime) and alla["F2"].number_format == "yyyy-mm-dd hh:mm"
    summary = wb["Sammanställning"]
    values = [[c.value for c in row] for row in summary.iter_rows(values_only=False)]
    flat = {(r[0], r[1]) for r in values if r and r[0]}
    assert ("Ja", 1) in flat and ("Nej", 1) in flat and ("C Tillverkning", 2) in flat
    for sheet in wb.worksheets:
        assert sheet.freeze_panes is not None and sheet.auto_filter.ref
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2  # question 1 (yes/no) and question 3 (options)


def test_coordinated_only_takes_one_answer_per_board(app):
    survey = _arrange()
    skane = survey.questions[0]
    del skane
    wb = load_workbook(io.BytesIO(_workbook(survey, coordinated_only=True)))
    assert wb["Alla svar"].max_row == 3


def test_formula_looking_answers_stay_text(app, tmp_path):
    survey = make_survey(deadline_at=DEADLINE)
    org = make_organisation("Länsstyrelsen Skåne", "12")
    for i, text in enumerate(HOSTILE):
        _answer(
            survey,
            org,
            {"1": AnswerInput("yes", text), "2a": AnswerInput(text=text)},
            DEADLINE,
            name=f"P{i}",
        )
    db.session.commit()
    data = _workbook(survey)
    wb = load_workbook(io.BytesIO(data))
    comments = [(c.value, c.data_type) for c in wb["Alla svar"]["H"][1:]]
    assert comments == [(text, "s") for text in HOSTILE]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet2.xml")
    soffice = shutil.which("soffice")
    if not soffice:
        missing("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
    (tmp_path / "in.xlsx").write_bytes(data)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false,2",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "in.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    converted = (tmp_path / "in-Alla svar.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(converted), delimiter=";"))
    assert [row[7] for row in rows[1:]] == HOSTILE  # shown as typed; nothing evaluated
    assert "2" not in [row[7] for row in rows[1:]]


def test_control_characters_long_text_and_emoji(app):
    survey = make_survey(deadline_at=DEADLINE)
    org = make_organisation("Länsstyrelsen Västra Götaland", "14")
    long_text = "å" * 40_000
    response = _answer(
        survey,
        org,
        {"1": AnswerInput("yes", "Klimat\x00 2030\x07 🌍 åäö"), "2a": AnswerInput(text="kort")},
        DEADLINE,
    )
    # Longer than the form allows (an answer registered from a long e-mail, say).
    next(a for a in response.answers if a.text == "kort").text = long_text
    db.session.commit()
    wb = load_workbook(io.BytesIO(_workbook(survey)))
    row = [c.value for c in wb["Alla svar"][2]]
    assert row[7] == "Klimat 2030\ufffd 🌍 åäö"  # NUL dropped on saving, BEL replaced
    assert len(row[8]) == 32_767 and row[8].endswith("[…avkortat, 40000 tecken totalt]")


def test_csv_for_swedish_excel(app):
    survey = make_survey(deadline_at=DEADLINE)
    _answer(
        survey,
        make_organisation("Länsstyrelsen Skåne", "12"),
        {
            "1": AnswerInput("yes", "=1+1; med semikolon"),
            "2a": AnswerInput(text="rad ett\nrad två"),
        },
        DEADLINE,
    )
    db.session.commit()
    buffer = io.BytesIO()
    write_csv(survey, buffer)
    data = buffer.getvalue()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][7] == "'=1+1; med semikolon" and rows[1][8] == "rad ett\nrad två"


@pytest.mark.parametrize("responses", [10, 200])
def test_query_count_does_not_grow_with_responses(app, responses):
    survey = make_survey(deadline_at=DEADLINE)
    org = make_organisation("Länsstyrelsen Skåne", "12")
    for i in range(responses):
        _answer(
            survey,
            org,
            {"1": AnswerInput("yes", f"svar {i}"), "2a": AnswerInput(text="x")},
            DEADLINE,
            name=f"P{i}",
        )
    db.session.commit()
    db.session.expire_all()
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        _workbook(survey)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) <= 20, len(statements)


def test_workshop_notes_summarise_each_question(app):
    from coordinator.services.results import response_rows, summarise, workshop_notes_markdown

    survey = _arrange()
    rows = list(response_rows(survey))
    text = workshop_notes_markdown(survey, summarise(survey, rows), len(rows))
    assert "## 1. Har ni strategier?" in text
    assert "- Ja: 1" in text and "- Nej: 1" in text
    assert "- **Länsstyrelsen Dalarna:** Saknas ännu" in text
    assert text.count("Beslut:") == len([q for q in survey.questions if not q.is_heading])
