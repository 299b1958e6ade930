"""Every kind's summary on known data, and the type of every kind's cells in the
workbook: numbers as number cells, dates as date cells, text as text, files as links."""

import io
import re
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from coordinator.extensions import db
from coordinator.services.results.attachments import write_attachments_zip
from coordinator.services.results.summary import Selection, summarise_survey
from coordinator.services.results.workbook import write_workbook
from coordinator.services.surveys.kinds.answers import AnswerInput, Upload
from coordinator.services.surveys.kinds.statistics import histogram
from coordinator.services.surveys.responses import get_or_create_response, save_answers
from tests.factories import (
    PDF,
    every_kind_questions,
    make_contact,
    make_invitation,
    make_organisation,
    make_survey,
)

NOW = datetime(2025, 10, 1, 8, 0, tzinfo=UTC)
BOARDS = [
    # county code, board, number, date, scale, grid, file
    ("12", "Länsstyrelsen Skåne", "3,5", "2012-04-01", "4", {"A": "5", "C": "4"}, "plan.pdf"),
    ("14", "Länsstyrelsen Västra Götaland", "6", "2017-09-15", "2", {"A": "3"}, "plan.pdf"),
    ("20", "Länsstyrelsen Dalarna", "1,5", "2020-06-01", "dont_know", {}, None),
]


def _arrange():
    survey = make_survey(questions=every_kind_questions())
    q = {x.number: x.id for x in survey.questions}
    for code, name, number, day, scale, grid, file in BOARDS:
        invitation, _ = make_invitation(survey, make_contact(make_organisation(name, code)))
        response = get_or_create_response(invitation, NOW)
        answers = {
            q["1"]: AnswerInput(choice="yes" if file else "no"),
            q["6"]: AnswerInput(text=number),
            q["7"]: AnswerInput(text=day),
            q["8"]: AnswerInput(choice=scale),
            q["9"]: AnswerInput(rows=grid),
        }
        if file:
            answers[q["1a"]] = AnswerInput(uploads=[Upload(file, PDF)])
        assert save_answers(response, answers, None, NOW).errors == {}
        response.state, response.submitted_at = "submitted", NOW
    db.session.commit()
    return survey


def test_summaries_on_known_data(app):
    survey = _arrange()
    summary = {s.question.number: s for s in summarise_survey(survey, Selection()).questions}
    number = summary["6"]
    assert [(str(f.label), f.value) for f in number.figures] == [
        ("Antal svar", 3),
        ("Minsta", Decimal("1.5")),
        ("Median", Decimal("3.5")),
        ("Medelvärde", Decimal("3.67")),
        ("Största", Decimal("6")),
    ]
    assert number.counts == [("1,5", 1), ("3,5", 1), ("6", 1)]
    day = summary["7"]
    assert [(str(f.label), f.value) for f in day.figures] == [
        ("Antal svar", 3),
        ("Tidigast", date(2012, 4, 1)),
        ("Senast", date(2020, 6, 1)),
    ]
    assert day.counts == [("2012", 1), ("2017", 1), ("2020", 1)]
    scale = summary["8"]
    assert scale.counts[1] == ("2", 1) and scale.counts[3] == ("4", 1)
    assert scale.counts[-1] == ("Vet ej", 1)
    assert scale.figures[-1].value == Decimal(3)
    grid = summary["9"]
    assert grid.table.rows[0][0] == "Jordbruk" and grid.table.rows[0][-1] == Decimal(4)
    assert grid.table.rows[2] == ["Transport", 0, 0, 0, 0, 0, 0, 3, None]
    files = summary["1a"]
    assert [(str(f.label), f.value) for f in files.figures] == [
        ("Svar med bilagor", 2),
        ("Filer", 2),
    ]
    assert files.not_applicable == 1
    assert [(f.organisation, f.file.filename) for f in files.files] == [
        ("Länsstyrelsen Skåne", "plan.pdf"),
        ("Länsstyrelsen Västra Götaland", "plan.pdf"),
    ]


def test_a_histogram_of_many_values_in_round_intervals():
    values = [Decimal(v) for v in (0, 3, 9, 10, 12, 19, 25, 31, 47, 52)]
    assert histogram(values) == [
        ("0–9", 3),
        ("10–19", 3),
        ("20–29", 1),
        ("30–39", 1),
        ("40–49", 1),
        ("50–59", 1),
    ]
    fractions = [Decimal(v) / 10 for v in range(0, 100, 7)]
    bins = histogram(fractions)
    assert bins[0] == ("0–2", 3) and sum(n for _, n in bins) == len(fractions)


def test_workbook_cell_types_of_every_kind(app):
    survey = _arrange()
    buffer = io.BytesIO()
    write_workbook(survey, buffer, now=NOW)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = workbook["Alla svar"]
    header = [c.value for c in sheet[1]]
    skane = dict(zip(header, sheet[2], strict=True))
    number = skane["6: Hur många arbetar med detta? (årsarbetskrafter)"]
    assert (number.value, number.data_type) == (3.5, "n")
    day = skane["7: Sedan när?"]
    assert day.value == datetime(2012, 4, 1) and day.is_date and day.number_format == "yyyy-mm-dd"
    scale = skane["8: Hur väl fungerar samverkan med näringslivet?"]
    assert (scale.value, scale.data_type) == (4, "n")
    grid = skane["9: Hur väl fungerar samverkan per sektor? – Jordbruk"]
    assert (grid.value, grid.data_type) == (5, "n")
    assert skane["1a: Bifoga strategin."].value == "plan.pdf (1 kB)"
    dalarna = dict(zip(header, sheet[4], strict=True))
    assert dalarna["8: Hur väl fungerar samverkan med näringslivet?"].value == "Vet ej"
    assert dalarna["1a: Bifoga strategin."].value == "Ej aktuell"

    files = workbook["1a"]
    assert [c.value for c in files[3]] == ["Organisation", "Fil", "Storlek", "Svarande"]
    link = files["B4"]
    assert link.value == "plan.pdf" and link.data_type == "s"
    assert re.fullmatch(r"http://[^/]+/surveys/attachments/\d+", link.hyperlink.target)
    grid_sheet = workbook["9"]
    assert [c.value for c in grid_sheet[3]] == ["Organisation", "Rad", "Svar", "Svarande"]
    assert [c.value for c in grid_sheet[4]][1:3] == ["Jordbruk", 5]

    summary = [[c.value for c in row[:9]] for row in workbook["Sammanställning"].iter_rows()]
    assert ["Medelvärde", 3.67] in [row[:2] for row in summary]
    assert [
        "Rad",
        "1 – Dåligt",
        "2",
        "3",
        "4",
        "5 – Bra",
        "Vet ej",
        "Obesvarade",
        "Medelvärde",
    ] in summary
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        charts = [n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        stacked = [n for n in charts if b'grouping val="stacked"' in archive.read(n)]
    # Bar charts for 1 (yes/no), 4 and 5 (options), 6 (histogram), 7 (years), 8 (scale);
    # a stacked one for the grid.
    assert (len(charts), len(stacked)) == (7, 1)


def test_all_attachments_in_one_zip_by_county_code_and_board(app):
    survey = _arrange()
    buffer = io.BytesIO()
    assert write_attachments_zip(survey, buffer, Selection()) == 2
    with zipfile.ZipFile(buffer) as archive:
        assert archive.namelist() == [
            "12 Länsstyrelsen Skåne/1a plan.pdf",
            "14 Länsstyrelsen Västra Götaland/1a plan.pdf",
        ]
        assert archive.read("12 Länsstyrelsen Skåne/1a plan.pdf") == PDF


def test_the_workshop_notes_carry_every_kind_s_summary(app):
    from coordinator.services.results.workshop_notes import workshop_notes_markdown

    survey = _arrange()
    notes = workshop_notes_markdown(survey, summarise_survey(survey, Selection()))
    assert "- Medelvärde: 3,67" in notes
    assert "- Tidigast: 2012-04-01" in notes
    assert "- Jordbruk: 1 – Dåligt 0, 2 0, 3 1, 4 0, 5 – Bra 1, Vet ej 0, Obesvarade 1," in notes
    assert "- Ej aktuell: 1" in notes
    assert "- **Länsstyrelsen Skåne:** plan.pdf" in notes
