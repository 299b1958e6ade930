"""The workbook and CSV, read back cell by cell."""

import csv
import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from coordinator.extensions import db
from coordinator.models import OutboxMessage
from coordinator.services.results.summary import Selection, summarise_survey
from coordinator.services.results.workbook import STATUS, sheet_name, write_csv, write_workbook
from coordinator.services.surveys.followup import build_dashboard
from coordinator.services.surveys.responses import (
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
SHEETS = ["Översikt", "Alla svar", "1", "2a", "3", "4", "Sammanställning", "Frågor"]


def _answer(survey, org, answers, at, name="Karin Berg", submit=True):
    invitation, _ = make_invitation(survey, make_contact(org, name=name))
    response = get_or_create_response(invitation, at)
    q = {q.number: q.id for q in survey.questions}
    save_answers(response, {q[k]: v for k, v in answers.items()}, None, at)
    if submit:
        assert submit_response(response, at) == {}
    return response


def _arrange():
    """Skåne on time (coordinated), Dalarna late, Gotland invited but silent, a draft
    from Uppsala, and a second, uncoordinated answer from Skåne."""
    survey = make_survey(deadline_at=DEADLINE)
    skane = make_organisation("Länsstyrelsen Skåne", "12")
    dalarna = make_organisation("Länsstyrelsen Dalarna", "20")
    silent, _ = make_invitation(
        survey, make_contact(make_organisation("Länsstyrelsen Gotland", "09"))
    )
    for state in ("sent", "failed"):  # the invitation went out; the reminder bounced
        db.session.add(
            OutboxMessage(
                recipient_email="gotland@example.org",
                subject="Påminnelse",
                text_body="Hej",
                organisation_id=silent.organisation_id,
                cause_type="reminder",
                cause_id=silent.id,
                state=state,
            )
        )
    uppsala = make_organisation("Länsstyrelsen Uppsala", "03")
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
        skane,
        {
            "1": AnswerInput("no", "Min egen bild"),
            "2a": AnswerInput(text="Eget exempel"),
            "3": AnswerInput(options=["F"]),
        },
        DEADLINE - timedelta(days=1),
        name="Per Holm",
    )
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
    _answer(
        survey, uppsala, {"1": AnswerInput("yes", "Utkast")}, DEADLINE, name="Ada Utk", submit=False
    )
    db.session.commit()
    return survey


def _workbook(survey, **options):
    buffer = io.BytesIO()
    write_workbook(survey, buffer, now=NOW, **options)
    return buffer.getvalue()


def _values(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_sheets_overview_and_all_answers(app):
    survey = _arrange()
    wb = load_workbook(io.BytesIO(_workbook(survey)))
    assert wb.sheetnames == SHEETS

    overview = wb["Översikt"]
    assert overview["A1"].value == "Enkät om näringslivet"
    assert overview["B2"].value == datetime(2018, 8, 23, 23, 59)  # Stockholm summer time
    assert overview["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert overview["B3"].value == datetime(2018, 8, 28, 10, 0)
    counts = {r[0]: r[1] for r in _values(overview)[3:8]}
    assert counts == {
        "Inbjudna länsstyrelser": 4,
        "Svarat i tid": 1,
        "Svarat sent": 1,
        "Utkast": 1,
        "Ej svarat": 1,
    }
    assert _values(overview)[9] == [
        "Länskod",
        "Organisation",
        "Status",
        "Inskickat",
        "Svarande",
        "Samordnat svar",
        "Senaste e-post",
    ]
    boards = _values(overview)[10:]
    assert [r[0] for r in boards] == ["03", "09", "12", "20"]  # county-code order
    assert [r[2] for r in boards] == ["Utkast", "Inbjuden", "Svarat i tid", "Svarat sent"]
    assert boards[2][1] == "Länsstyrelsen Skåne" and boards[2][4] == "Karin Berg, Per Holm"
    assert boards[2][3] == datetime(2018, 8, 22, 23, 59) and boards[2][5] == "Ja"
    assert boards[1][6] == "Misslyckades" and boards[2][6] is None
    assert boards[0][3] is None and boards[0][4] is None  # drafts are not exported by default

    alla = _values(wb["Alla svar"])
    assert alla[0][:8] == [
        "Organisation",
        "Länskod",
        "Svarande",
        "Status",
        "Samordnat svar",
        "Inskickat",
        "1 Ja/Nej: Har ni strategier?",
        "1 Kommentar",
    ]
    assert alla[0][8:] == ["2a: Delge exempel.", "3: Vilka sektorer?", "4: Övrigt?"]
    assert alla[1] == [
        "Länsstyrelsen Skåne",
        "12",
        "Karin Berg",
        "Svarat i tid",
        "Ja",
        datetime(2018, 8, 21, 23, 59),
        "Ja",
        "Klimatsamverkan Skåne",
        "- Industrisamtal",
        "C Tillverkning; F Byggverksamhet; Annat, nämligen: Besöksnäring",
        None,
    ]
    assert alla[2][:4] == ["Länsstyrelsen Skåne", "12", "Per Holm", "Svarat i tid"]
    assert alla[2][6:10] == ["Nej", "Min egen bild", "Eget exempel", "F Byggverksamhet"]
    assert alla[3][0] == "Länsstyrelsen Dalarna" and alla[3][3] == "Svarat sent"
    assert len(alla) == 4
    assert wb["Alla svar"]["F2"].number_format == "yyyy-mm-dd hh:mm"


def test_question_sheets_summary_and_key(app):
    survey = _arrange()
    data = _workbook(survey)
    wb = load_workbook(io.BytesIO(data))
    first = _values(wb["1"])
    assert first[0][0] == "Fråga 1" and first[1][0] == "Har ni strategier?"
    assert first[2] == ["Organisation", "Svar", "Kommentar", "Svarande"]
    assert first[3:] == [
        ["Länsstyrelsen Skåne", "Ja", "Klimatsamverkan Skåne", "Karin Berg"],
        ["Länsstyrelsen Skåne", "Nej", "Min egen bild", "Per Holm"],
        ["Länsstyrelsen Dalarna", "Nej", "Saknas ännu", "Olle Ek"],
    ]
    sectors = _values(wb["3"])
    assert sectors[5] == ["Länsstyrelsen Dalarna", "C Tillverkning", None, "Olle Ek"]

    summary = [r[:3] for r in _values(wb["Sammanställning"]) if any(r[:3])]
    assert summary == [
        ["Fråga och svar", "Antal", "Obesvarade"],
        ["1: Har ni strategier?", None, 0],
        ["Ja", 1, None],
        ["Nej", 2, None],
        ["3: Vilka sektorer?", None, 0],
        ["C Tillverkning", 2, None],
        ["F Byggverksamhet", 2, None],
        ["Annat, nämligen", 1, None],
    ]
    key = _values(wb["Frågor"])
    assert key[0] == ["Nummer", "Fråga", "Typ", "Obligatorisk"]
    assert key[1] == ["1", "Har ni strategier?", "Ja/nej med kommentar", "Ja"]
    assert key[2] == ["2", "Hur verkar ni?", "Rubrik", "Nej"]
    assert key[4] == ["3", "Vilka sektorer?", "Flera alternativ", "Nej"]

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        charts = [n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == 2  # question 1 (yes/no) and question 3 (options)
        summary_sheet = SHEETS.index("Sammanställning") + 1
        rels = z.read(f"xl/worksheets/_rels/sheet{summary_sheet}.xml.rels").decode()
        assert "drawing" in rels
        drawing = re.search(r'Target="/?(?:\.\./)?(xl/)?drawings/(drawing\d+\.xml)"', rels)
        assert drawing and "chart" in z.read(f"xl/drawings/_rels/{drawing[2]}.rels").decode()
        assert b"barChart" in z.read(charts[0])


def test_every_sheet_is_set_up_for_screen_and_print(app):
    wb = load_workbook(io.BytesIO(_workbook(_arrange())))
    expected = {"Översikt": ("C11", "$10:$10"), "1": ("B4", "$1:$3"), "Alla svar": ("B2", "$1:$1")}
    for ws in wb.worksheets:
        freeze, titles = expected.get(ws.title, ("B4" if ws.title[0].isdigit() else "B2", None))
        assert ws.freeze_panes == freeze, ws.title
        if titles:
            assert ws.print_title_rows == titles
        assert ws.print_title_rows, ws.title
        assert ws.auto_filter.ref, ws.title
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9  # A4
        # fitToWidth 1 is the default, which the file may leave out
        assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "Sida &P av &N" in ws.oddFooter.center.text, ws.title
        assert ws.column_dimensions["A"].width >= 8
        assert ws["A1"].alignment.wrap_text
    assert wb["Alla svar"].auto_filter.ref == "A1:K4"
    assert wb["Översikt"].auto_filter.ref == "A10:G14"
    assert wb["Alla svar"].print_area == "'Alla svar'!$A$1:$F$4"  # who answered; not 16 columns


def test_coordinated_only_and_drafts(app):
    survey = _arrange()
    coordinated = _values(
        load_workbook(io.BytesIO(_workbook(survey, coordinated_only=True)))["Alla svar"]
    )
    assert [(r[0], r[2]) for r in coordinated[1:]] == [
        ("Länsstyrelsen Skåne", "Karin Berg"),  # marked coordinated, though not the latest
        ("Länsstyrelsen Dalarna", "Olle Ek"),  # none marked: the latest submitted
    ]
    with_drafts = _values(
        load_workbook(io.BytesIO(_workbook(survey, include_drafts=True)))["Alla svar"]
    )
    assert with_drafts[1][:4] == ["Länsstyrelsen Uppsala", "03", "Ada Utk", "Utkast"]
    assert len(with_drafts) == 5


def test_summary_counts_follow_the_selection(app):
    survey = _arrange()
    late = summarise_survey(survey, Selection(late=True))
    assert late.responses == 1 and late.questions[0].counts == [("Ja", 0), ("Nej", 1)]
    on_time = summarise_survey(survey, Selection(late=False, coordinated_only=True))
    assert on_time.responses == 1 and on_time.questions[0].counts == [("Ja", 1), ("Nej", 0)]
    texts = summarise_survey(survey, Selection()).questions[0].texts
    assert [(t.organisation, t.respondent, t.text) for t in texts][-1] == (
        "Länsstyrelsen Dalarna",
        "Olle Ek",
        "Saknas ännu",
    )


def test_sheet_names_are_valid_and_unique():
    used = {"översikt", "alla svar"}
    assert sheet_name("2a", used) == "2a"
    assert sheet_name("2A", used) == "2A (2)"
    assert sheet_name("a/b:c*d?[e]\\", used) == "a-b-c-d--e--"
    assert sheet_name("Översikt", used) == "Översikt (2)"
    long = sheet_name("x" * 40, used)
    assert len(long) == 31 and len(sheet_name("x" * 40, used)) == 31
    assert sheet_name("''", used) == "Fråga"


def test_formula_looking_answers_stay_text(app, tmp_path):
    survey = make_survey(deadline_at=DEADLINE)
    org = make_organisation("Länsstyrelsen Skåne", "12")
    for i, text in enumerate(HOSTILE):
        _answer(
            survey,
            org,
            {"1": AnswerInput("yes", text), "2a": AnswerInput(text=text)},
            DEADLINE,
            name=text if i == 0 else f"P{i}",
        )
    db.session.commit()
    data = _workbook(survey)
    wb = load_workbook(io.BytesIO(data))
    for column in ("H", "I"):  # comment of 1, and 2a
        cells = wb["Alla svar"][column][1:]
        assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
            (text, "s", True) for text in HOSTILE
        ]
    assert wb["Alla svar"]["C2"].value == "=1+1" and wb["Alla svar"]["C2"].data_type == "s"
    assert [c.value for c in wb["2a"]["B"][3:]] == HOSTILE
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name
        all_answers = z.read("xl/worksheets/sheet2.xml").decode()
        assert re.search(r'<c r="H2" s="\d+" t="inlineStr"><is><t>=1\+1</t>', all_answers)

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
            # separator ;, quote ", UTF-8, from row 1, …, the last field -1: every sheet
            "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false,-1",
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
    assert [row[8] for row in rows[1:]] == HOSTILE
    assert rows[1][2] == "=1+1"
    question = list(
        csv.reader(io.StringIO((tmp_path / "in-2a.csv").read_text("utf-8")), delimiter=";")
    )
    assert [row[1] for row in question[3:]] == HOSTILE


def test_control_characters_long_text_emoji_and_swedish_letters(app):
    survey = make_survey(deadline_at=DEADLINE)
    org = make_organisation("Länsstyrelsen Västra Götaland", "14")
    long_text = "å" * 39_994 + "SLUTET"
    response = _answer(
        survey,
        org,
        {
            "1": AnswerInput("yes", "Klimat\x00 2030\x07 🌍 åäö ÅÄÖ\x1b"),
            "2a": AnswerInput(text="kort"),
        },
        DEADLINE,
    )
    # Longer than the form allows (an answer registered from a long e-mail, say).
    next(a for a in response.answers if a.text == "kort").text = long_text
    db.session.commit()
    wb = load_workbook(io.BytesIO(_workbook(survey)))
    row = [c.value for c in wb["Alla svar"][2]]
    assert row[7] == "Klimat 2030\ufffd 🌍 åäö ÅÄÖ\ufffd"  # NUL dropped on saving, others replaced
    assert len(row[8]) == 32_767
    assert row[8].startswith("ååå") and row[8].endswith(" […avkortat, 40000 tecken totalt]")
    assert "SLUTET" not in row[8]
    assert wb["2a"]["B4"].value == row[8]


def test_csv_for_swedish_excel(app):
    survey = make_survey(deadline_at=DEADLINE)
    _answer(
        survey,
        make_organisation("Länsstyrelsen Skåne", "12"),
        {
            "1": AnswerInput("yes", "=1+1; med semikolon"),
            "2a": AnswerInput(text="rad ett\nrad två"),
            "4": AnswerInput(text="-5 grader, @ och +46 och \tflik"),
        },
        DEADLINE,
        name="@Anna",
    )
    db.session.commit()
    buffer = io.BytesIO()
    write_csv(survey, buffer)
    data = buffer.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 2  # header and row; the newline typed in 2a stays bare
    assert data.replace(b"\r\n", b"").count(b"\n") == 1
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert (
        rows[0][:2] == ["Organisation", "Länskod"] and rows[0][6] == "1 Ja/Nej: Har ni strategier?"
    )
    assert rows[1][:6] == [
        "Länsstyrelsen Skåne",
        "12",
        "'@Anna",
        "Svarat i tid",
        "Nej",
        "2018-08-23 23:59",
    ]
    assert rows[1][6:] == [
        "Ja",
        "'=1+1; med semikolon",
        "rad ett\nrad två",
        "",
        "'-5 grader, '@ och +46 och \tflik",  # ", @" is a cell read with ","
    ]


def test_query_count_does_not_grow_with_responses(app):
    survey = make_survey(deadline_at=DEADLINE)
    orgs = [make_organisation(f"Länsstyrelsen {n}", f"{n:02d}") for n in range(1, 6)]

    def add(start, stop):
        for i in range(start, stop):
            _answer(
                survey,
                orgs[i % 5],
                {
                    "1": AnswerInput("yes", f"svar {i}"),
                    "2a": AnswerInput(text="x"),
                    "3": AnswerInput(options=["C"]),
                },
                DEADLINE,
                name=f"P{i}",
            )
        db.session.commit()
        db.session.expire_all()

    def statements(**options):
        seen = []

        def count(*args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            _workbook(survey, **options)
            write_csv(survey, io.BytesIO(), **options)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        db.session.expire_all()
        return len(seen)

    add(0, 10)
    few = statements(), statements(coordinated_only=True, include_drafts=True)
    add(10, 200)
    many = statements(), statements(coordinated_only=True, include_drafts=True)
    assert few == many
    wb = load_workbook(io.BytesIO(_workbook(survey)))
    assert wb["Alla svar"].max_row == 201


@pytest.mark.parametrize("coordinated", [False, True])
def test_export_command(app, runner, tmp_path, coordinated):
    survey = _arrange()
    target = tmp_path / "svar.xlsx"
    args = ["export-survey", str(survey.id), "-o", str(target)]
    result = runner.invoke(args=args + (["--coordinated-only"] if coordinated else []))
    assert result.exit_code == 0, result.output
    assert load_workbook(target)["Alla svar"].max_row == (3 if coordinated else 4)
    result = runner.invoke(
        args=[*args[:-1], str(tmp_path / "svar.csv"), "--csv", "--include-drafts"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "svar.csv").read_bytes().count(b"\r\n") == 5
    assert runner.invoke(args=["export-survey", "999999", "-o", str(target)]).exit_code != 0


def test_the_overview_gives_each_board_its_dashboard_status(app):
    survey = make_survey(deadline_at=DEADLINE)
    make_organisation("Länsstyrelsen Kalmar", "08")  # never invited
    make_invitation(survey, make_contact(make_organisation("Länsstyrelsen Blekinge", "10")))
    halland = make_contact(make_organisation("Länsstyrelsen Halland", "13"))
    make_invitation(survey, halland)[0].opened_at = NOW
    db.session.commit()
    overview = load_workbook(io.BytesIO(_workbook(survey)))["Översikt"]
    rows = {r[0]: r[2] for r in _values(overview)[10:]}
    assert rows == {"08": "Ej inbjuden", "10": "Inbjuden", "13": "Öppnat"}
    dashboard = {r.organisation.county_code: r.status for r in build_dashboard(survey).rows}
    assert {code: STATUS[status] for code, status in dashboard.items()} == rows


def test_names_sharing_a_cell_are_isolated_from_each_other(app):
    from coordinator.bidi import FSI, PDI

    survey = make_survey(deadline_at=DEADLINE)
    gotland = make_organisation("Länsstyrelsen Gotland", "09")
    hostile = "Göran \u202enäl sdnaltoG"
    for name in (hostile, "Per Holm"):
        answers = {"1": AnswerInput("yes", "Ja"), "2a": AnswerInput(text="Exempel")}
        _answer(survey, gotland, answers, DEADLINE, name=name)
    db.session.commit()
    overview = load_workbook(io.BytesIO(_workbook(survey)))["Översikt"]
    assert _values(overview)[10][4] == f"{FSI}{hostile}{PDI}, Per Holm"


FORMULA_CHARS = ("=", "+", "-", "@")


def _starts_a_formula(field: str) -> bool:
    return field.lstrip(' "').startswith(FORMULA_CHARS)


def test_csv_read_with_any_separator_has_no_formula(app, tmp_path):
    """Issue 11, point 10: a separator inside a value starts a new cell for a tool that
    reads the file with that separator (or ignores the quotes)."""
    survey = make_survey(deadline_at=DEADLINE)
    _answer(
        survey,
        make_organisation("Länsstyrelsen Skåne", "12"),
        {
            "1": AnswerInput("yes", "Bra svar,=cmd|' /C calc'!A0"),
            "2a": AnswerInput(text='rad;+SUM(1) och "citat", @A1'),
            "4": AnswerInput(text="flik\t-2+3 och rad\n=1+1"),
        },
        DEADLINE,
    )
    db.session.commit()
    buffer = io.BytesIO()
    write_csv(survey, buffer)
    text = buffer.getvalue().decode("utf-8-sig")
    assert text.startswith('"Organisation";"Länskod";')  # every field quoted
    for delimiter in (",", ";", "\t"):
        for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
            for row in reader:
                assert not [f for f in row if _starts_a_formula(f)], (delimiter, quoting, row)
    # Read the right way, the text is all there, with an apostrophe before each formula.
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[1][7] == "Bra svar,'=cmd|' /C calc'!A0"
    assert rows[1][8] == "rad;'+SUM(1) och \"citat\", '@A1"

    soffice = shutil.which("soffice")
    if not soffice:
        missing("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
    (tmp_path / "svar.csv").write_text(text, encoding="utf-8")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--infilter=CSV:44,34,76,1",  # separator ",", quote ", UTF-8, from row 1
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "svar.csv"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sheet = load_workbook(tmp_path / "svar.xlsx").active
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
