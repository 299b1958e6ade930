"""The workshop handout and the receipts as PDF: read back with pypdf.

The text is compared with its whitespace collapsed, since a PDF holds lines, not the
paragraphs they were set from."""

import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject
from sqlalchemy import select

from coordinator.demo.loading import load_demo_data
from coordinator.demo.surveys import load_synthetic_survey
from coordinator.extensions import db
from coordinator.models import Organisation, Response
from coordinator.services.results.charts import bar_chart
from coordinator.services.results.handout import write_handout
from coordinator.services.results.pdf import pdf_wait_minutes, safe_filename, write_pdf
from coordinator.services.results.receipts import (
    write_receipt,
    write_receipts_zip,
)
from coordinator.services.results.summary import Selection
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    save_answers,
    submit_response,
)
from tests.factories import make_contact, make_invitation, make_organisation, make_survey
from tests.support import missing

DEADLINE = datetime(2018, 8, 23, 21, 59, tzinfo=UTC)
NOW = datetime(2018, 8, 28, 8, 0, tzinfo=UTC)
A4 = (595.28, 841.89)
# The formula-looking strings of the workbook tests and markup of the form tests.
HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://example.com","x")',
    "+46 70 123 45 67",
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE users; --",
    "javascript:alert(1) https://example.com/?a=1&b=2",
]
# A right-to-left override shows "evil" as "live", and no further: the next line reads on.
OVERRIDE = "\u202eevil\u202c"
LONG = " ".join(f"ord{n}" for n in range(5_700))[:40_000]


def _answer(survey, org, answers, at, name="Karin Berg"):
    invitation, token = make_invitation(survey, make_contact(org, name=name))
    response = get_or_create_response(invitation, at)
    q = {q.number: q.id for q in survey.questions}
    save_answers(response, {q[k]: v for k, v in answers.items()}, None, at)
    assert submit_response(response, at) == {}
    return response, token


def _arrange():
    """Skåne on time, Dalarna late, Gotland invited and silent."""
    survey = make_survey(deadline_at=DEADLINE)
    make_invitation(survey, make_contact(make_organisation("Länsstyrelsen i Gotlands län", "09")))
    skane = make_organisation("Länsstyrelsen i Skåne län", "12")
    dalarna = make_organisation("Länsstyrelsen Dalarna", "20")
    first, _ = _answer(
        survey,
        skane,
        {
            "1": AnswerInput("yes", "Klimatsamverkan Skåne"),
            "2a": AnswerInput(text="Industrisamtal"),
            "3": AnswerInput(options=["C", "F"], other="Besöksnäring"),
        },
        DEADLINE - timedelta(days=2),
    )
    _answer(
        survey,
        dalarna,
        {"1": AnswerInput("no", "Saknas ännu"), "2a": AnswerInput(text="Klimatkontrakt 2030")},
        DEADLINE + timedelta(days=3),
        name="Olle Ek",
    )
    db.session.commit()
    return survey, first


def _handout(survey, selection=None) -> bytes:
    out = io.BytesIO()
    write_handout(survey, out, now=NOW, selection=selection)
    return out.getvalue()


MARGINS = re.compile(r"(?:Enkät om näringslivet [\w ]+? )?Utskrivet [\d-]+ [\d:]+ Sida \d+ av \d+$")


def _text(data: bytes) -> str:
    """The pages' text without their header and footer (extracted after the body)."""
    pages = PdfReader(io.BytesIO(data)).pages
    return _flat(" ".join(MARGINS.sub("", _flat(page.extract_text())) for page in pages))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _assert_tagged_a4_numbered(data: bytes, title: str) -> None:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert _resolve(root["/MarkInfo"])["/Marked"]
    assert root["/Lang"] == "sv"
    assert reader.metadata.title == title
    pages = reader.pages
    for number, page in enumerate(pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 2), round(height, 2)) == A4
        assert _flat(page.extract_text()).endswith(f"Sida {number} av {len(pages)}")


def _assert_inert(data: bytes) -> None:
    """No link, action or script anywhere in the file: nothing made from an answer runs."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root and "/AA" not in root
    assert "/JavaScript" not in _resolve(root.get("/Names", DictionaryObject()))
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            annotation = _resolve(annotation)
            assert "/A" not in annotation and "/AA" not in annotation, annotation
    assert b"/JavaScript" not in data and b"/JS" not in data and b"/URI" not in data


def test_handout_has_every_question_and_every_answering_board(app):
    survey, _ = _arrange()
    data = _handout(survey)
    text = _text(data)
    for question in survey.questions:
        assert _flat(question.text) in text
    for board in ("Länsstyrelsen i Skåne län", "Länsstyrelsen Dalarna"):
        assert board in text
    # The cover: deadline, on time, late, not answered; then the silent board at the end.
    assert "Svara senast torsdag 23 augusti 2018 23:59" in text
    assert "Svarat i tid 1 organisation Svarat sent 1 organisation" in text
    assert "Inte svarat 1 organisation" in text
    assert text.rindex("Länsstyrelsen i Gotlands län") > text.index("Har inte svarat")
    # Counts and free text under the board's name.
    assert "Klimatsamverkan Skåne" in text and "Klimatkontrakt 2030" in text
    assert "Länsstyrelsen Dalarna (Olle Ek) Klimatkontrakt 2030" in text
    assert "C Tillverkning 1" in text
    _assert_tagged_a4_numbered(data, f"Workshopunderlag: {survey.title}")
    _assert_inert(data)


def test_handout_follows_the_selection(app):
    survey, _ = _arrange()
    text = _text(_handout(survey, Selection(late=False)))
    assert "Industrisamtal" in text and "Klimatkontrakt 2030" not in text
    assert "bara svar som kom in i tid" in text


def test_long_and_hostile_answers_stay_exact_and_inert(app):
    survey = make_survey(deadline_at=DEADLINE)
    org = make_organisation("Länsstyrelsen i Hallands län", "13")
    response, _ = _answer(
        survey, org, {"1": AnswerInput("yes", "Kort"), "2a": AnswerInput(text="kort")}, DEADLINE
    )
    # Longer than the form allows (an answer registered from a long e-mail, say).
    next(a for a in response.answers if a.text == "kort").text = LONG
    for n, text in enumerate([*HOSTILE, OVERRIDE]):
        answers = {"1": AnswerInput("no", text), "2a": AnswerInput(text=text)}
        _answer(survey, org, answers, DEADLINE, name=f"P{n}")
    db.session.commit()
    handout = _handout(survey)
    text = _text(handout)
    assert LONG in text
    for hostile in HOSTILE:
        assert text.count(hostile) >= 2, hostile  # the comment and the long answer
    assert text.count(f"(P{len(HOSTILE)}) live") == 2 and "Nej 9" in text
    _assert_inert(handout)
    out = io.BytesIO()
    write_receipt(response, out, now=NOW)
    receipt = out.getvalue()
    assert LONG in _text(receipt)
    _assert_inert(receipt)


def _receipt(response) -> bytes:
    out = io.BytesIO()
    write_receipt(response, out, now=NOW)
    return out.getvalue()


def test_receipt_holds_the_board_the_respondent_and_every_answer(app):
    survey, skane = _arrange()
    data = _receipt(skane)
    text = _text(data)
    assert "Organisation 12 Länsstyrelsen i Skåne län" in text
    assert "Svarande Karin Berg" in text
    assert "Senast inskickat 2018-08-21 23:59" in text  # Stockholm time
    assert "Detta är den senast inskickade versionen av svaren" in text
    assert "1. Har ni strategier? Ja Klimatsamverkan Skåne" in text
    assert "2. Hur verkar ni? 2a. Delge exempel. Industrisamtal" in text
    assert "C Tillverkning" in text and "Besöksnäring" in text
    assert "4. Övrigt? –" in text
    _assert_tagged_a4_numbered(data, f"Svar: {survey.title} – Länsstyrelsen i Skåne län")
    _assert_inert(data)


def test_receipt_says_when_changes_are_not_submitted(app):
    _, skane = _arrange()
    q = {q.number: q.id for q in skane.survey.questions}
    save_answers(skane, {q["2a"]: AnswerInput(text="Ändrat men inte inskickat")}, None, NOW)
    db.session.commit()
    text = _text(_receipt(skane))
    assert "Ändringar sparades 2018-08-28 10:00 men är inte inskickade" in text
    assert "Ändrat men inte inskickat" not in text and "Industrisamtal" in text


def test_receipts_zip_names_each_pdf_by_county_code_and_board(app):
    survey, skane = _arrange()
    answers = {"1": AnswerInput("no", "Andra svaret"), "2a": AnswerInput(text="Eget")}
    _answer(survey, skane.organisation, answers, NOW, "Per")
    db.session.commit()
    out = io.BytesIO()
    assert write_receipts_zip(survey, out, now=NOW) == 3
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [
            "12_Lansstyrelsen_i_Skane_lan.pdf",
            "12_Lansstyrelsen_i_Skane_lan_2.pdf",
            "20_Lansstyrelsen_Dalarna.pdf",
        ]
        assert "Andra svaret" in _text(archive.read("12_Lansstyrelsen_i_Skane_lan_2.pdf"))


@pytest.mark.parametrize(
    ("parts", "name"),
    [
        (("12", "Länsstyrelsen i Skåne län"), "12_Lansstyrelsen_i_Skane_lan.pdf"),
        (("", "../../etc/passwd"), "etc_passwd.pdf"),
        (("01", '<script>"Ö"</script>\u202e'), "01_script_O_script.pdf"),
        (("", "Региона"), "svar.pdf"),
    ],
)
def test_safe_filenames(parts, name):
    assert safe_filename(*parts, extension="pdf") == name


def test_export_command_writes_the_handout(app, runner, tmp_path):
    survey, _ = _arrange()
    target = tmp_path / "underlag.pdf"
    args = ["export-survey", str(survey.id), "--pdf", "-o", str(target)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Workshopunderlag" in _text(target.read_bytes())
    assert runner.invoke(args=[*args, "--csv"]).exit_code != 0


def test_paper_charts_write_every_label_whole():
    long = "T Förvärvsarbete i hushåll; hushållens produktion av diverse varor och tjänster"
    svg = str(bar_chart("c", "Sektorer", [(long, 3), ("C Tillverkning", 1)], wrap=True))
    lines = re.findall(r'text-anchor="end"[^>]*>([^<]*)</text>', svg)
    assert " ".join(lines) == f"{long} C Tillverkning"
    screen = str(bar_chart("c", "Sektorer", [(long, 3)]))
    assert "…" in screen  # the results page keeps one line, with the table beside it


# pdftotext -bbox: every word with its box; the box's height is the font's ascent plus
# descent at the size the word is set in.
WORD = re.compile(
    r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
)
SMALLEST_PT = 8


def _words(data: bytes) -> list[tuple[float, str]]:
    """(box height, word) of every word on every page, read by poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        missing("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return [(float(y_max) - float(y_min), word) for y_min, y_max, word in WORD.findall(out)]


@cache
def _height_per_pt() -> float:
    """A word's box height per point of font size, measured on 10 pt text of the same
    pipeline and font, so the test reads sizes in points."""
    out = io.BytesIO()
    write_pdf('<html lang="sv"><title>t</title><p style="font-size: 10pt">Åtta</p></html>', out)
    (height, _), *_ = _words(out.getvalue())
    return height / 10


def _smallest_text(data: bytes) -> tuple[float, str]:
    """The smallest font size on any page, in points, and a word set in it."""
    height, word = min(_words(data))
    return round(height / _height_per_pt(), 2), word


def _unspaced(text: str) -> str:
    """Without any space: a line may break after a slash, where the PDF has no space."""
    return "".join(text.replace("&amp;", "&").split())


def test_the_size_check_finds_small_text(app):
    out = io.BytesIO()
    write_pdf('<html lang="sv"><title>t</title><p style="font-size: 7.5pt">liten</p></html>', out)
    assert _smallest_text(out.getvalue()) == (7.5, "liten")


def _assert_readable_handout(survey) -> None:
    data = _handout(survey)
    assert _smallest_text(data)[0] >= SMALLEST_PT, _smallest_text(data)
    text = _unspaced("".join(word for _, word in _words(data)))
    for question in survey.questions:
        assert _unspaced(question.text) in text, question.number
    boards = db.session.scalars(
        select(Organisation.name)
        .join(Response, Response.organisation_id == Organisation.id)
        .where(Response.survey_id == survey.id, Response.state == "submitted")
        .distinct()
    )
    for board in boards:
        assert _unspaced(board) in text, board


def test_handouts_of_the_demo_and_a_290_organisation_survey_are_complete_and_readable(app):
    """No word under 8 pt (the issue's floor for paper), every question and every board
    that answered: the demo's 2018 survey and the synthetic survey of the benchmarks."""
    survey = load_demo_data("demo password 1", now=NOW)["survey"]
    _assert_readable_handout(survey)
    _assert_readable_handout(load_synthetic_survey(290, NOW))


def test_receipt_has_no_text_under_8_pt(app):
    _, skane = _arrange()
    assert _smallest_text(_receipt(skane))[0] >= SMALLEST_PT


@pytest.mark.parametrize(
    ("responses", "minutes"), [(21, 0), (160, 0), (290, 1), (1000, 1), (10_000, 10)]
)
def test_pdf_wait_in_minutes(responses, minutes):
    assert pdf_wait_minutes(responses) == minutes
