"""The workbook as a person who presses Print gets it: LibreOffice renders it to PDF and
poppler reads the pages back. Tests cannot judge a page; these measure what can be
measured: paper, page numbers, the size of the text, and charts kept whole."""

import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from coordinator.demo.loading import load_demo_register
from coordinator.demo.surveys import load_rus_survey, load_synthetic_survey
from coordinator.extensions import db
from coordinator.services.register.seed import seed_reference_data
from coordinator.services.results.summary import Selection, summarise_survey
from coordinator.services.results.workbook import write_workbook
from tests.support import missing

NOW = datetime(2018, 8, 28, 8, 0, tzinfo=UTC)
A4 = (841.89, 595.28)  # points, landscape
SMALLEST_POINTS = 8.0
# pdftotext gives a word's box from the font's ascent to its descent: for Carlito (which
# stands in for Calibri) about 1.27 times the font size; 1.25 errs towards passing 8 pt.
BOX_PER_POINT = 1.25
WORD = re.compile(
    r'<word xMin="[-\d.]+" yMin="([-\d.]+)" xMax="[-\d.]+" yMax="([-\d.]+)">([^<]*)</word>'
)


def _tools() -> dict[str, str]:
    found = {name: shutil.which(name) for name in ("soffice", "pdfinfo", "pdftotext")}
    if not found["soffice"]:
        missing("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
    if not (found["pdfinfo"] and found["pdftotext"]):
        missing("poppler (pdfinfo, pdftotext) is not installed: apt-get install poppler-utils")
    return {name: str(path) for name, path in found.items()}


def _to_pdf(tools: dict[str, str], tmp_path: Path, books: dict[str, bytes]) -> dict[str, Path]:
    """All workbooks through one LibreOffice start, with a profile of its own."""
    for name, data in books.items():
        (tmp_path / f"{name}.xlsx").write_bytes(data)
    subprocess.run(
        [
            tools["soffice"],
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *(str(tmp_path / f"{name}.xlsx") for name in books),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {name: tmp_path / f"{name}.pdf" for name in books}


def _pages(tools: dict[str, str], pdf: Path, layout: bool = True) -> list[str]:
    text = subprocess.run(
        [tools["pdftotext"], *(["-layout"] if layout else []), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")[:-1]


def _page_sizes(tools: dict[str, str], pdf: Path, count: int) -> list[tuple[float, float]]:
    info = subprocess.run(
        [tools["pdfinfo"], "-f", "1", "-l", str(count), str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [
        (float(w), float(h))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    ]


def _smallest_words(tools: dict[str, str], pdf: Path) -> list[tuple[float, str]]:
    """The words whose box says they are smaller than 8 pt, with their size."""
    html = subprocess.run(
        [tools["pdftotext"], "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    sizes = ((float(y1) - float(y0), word) for y0, y1, word in WORD.findall(html))
    return [
        (round(height / BOX_PER_POINT, 1), word)
        for height, word in sizes
        if height / BOX_PER_POINT < SMALLEST_POINTS
    ]


def _sheet_of(page: str) -> str:
    """The sheet a page belongs to: the footer reads "<sheet>  Sida N av M  Exporterad …"."""
    footer = re.search(r"^\s*(\S.*?)\s{2,}Sida \d+ av \d+", page, re.MULTILINE)
    return footer[1] if footer else ""


def _page_breaks(data: bytes, sheet_number: int) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read(f"xl/worksheets/sheet{sheet_number}.xml").decode()
    breaks = re.search(r'<rowBreaks count="(\d+)"', xml)
    return int(breaks[1]) if breaks else 0


def _check(tools: dict[str, str], pdf: Path, data: bytes) -> dict[str, int]:
    pages = _pages(tools, pdf)
    assert pages
    sizes = _page_sizes(tools, pdf, len(pages))
    assert len(sizes) == len(pages)
    for number, (width, height) in enumerate(sizes, start=1):
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1, (number, width, height)
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page, number
    assert _smallest_words(tools, pdf) == []

    per_sheet: dict[str, int] = {}
    for page in pages:
        per_sheet[_sheet_of(page)] = per_sheet.get(_sheet_of(page), 0) + 1
    # Sammanställning breaks its pages before each question and before a chart that has a
    # page of its own; LibreOffice needing no page more than those means no block, and so
    # no chart, ran over the end of its page.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
    summary_sheet = len(names) - 1  # Sammanställning is the last but one
    assert per_sheet["Sammanställning"] == _page_breaks(data, summary_sheet) + 1
    return per_sheet


def _demo_surveys():
    seed_reference_data()
    load_demo_register(NOW)
    survey, _ = load_rus_survey(NOW)
    synthetic = load_synthetic_survey(290, NOW)
    db.session.commit()
    return survey, synthetic


def _workbook(survey) -> bytes:
    buffer = io.BytesIO()
    write_workbook(survey, buffer, now=NOW)
    return buffer.getvalue()


def test_the_demo_survey_and_290_responses_print_on_a4(app, tmp_path):
    tools = _tools()
    survey, synthetic = _demo_surveys()
    books = {"demo": _workbook(survey), "many": _workbook(synthetic)}
    pdfs = _to_pdf(tools, tmp_path, books)

    demo = _check(tools, pdfs["demo"], books["demo"])
    # Every sheet prints, each on its own pages; "Alla svar" prints who answered, one page.
    assert set(demo) == {"Översikt", "Alla svar", "1", "2a", "2b", "2c", "2d", "3", "4"} | {
        "Sammanställning",
        "Frågor",
    }
    assert demo["Alla svar"] == 1
    # Every bar of every chart labelled: each label is printed in its cell and again on
    # the chart's axis (LibreOffice leaves out every second label of a crowded axis).
    pages = zip(_pages(tools, pdfs["demo"]), _pages(tools, pdfs["demo"], layout=False), strict=True)
    summary_text = " ".join(
        " ".join(raw.split()) for page, raw in pages if _sheet_of(page) == "Sammanställning"
    )
    labels = [
        label for q in summarise_survey(survey, Selection()).questions for label, _ in q.counts
    ]
    assert len(labels) > 20
    assert [label for label in labels if summary_text.count(label) < 2] == []
    many = _check(tools, pdfs["many"], books["many"])
    assert many["Alla svar"] <= 10  # 290 rows of who answered; not 290 rows × 16 columns
