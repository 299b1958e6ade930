"""Row heights, widths and page headers of the printed workbook, without a workbook."""

from coordinator.services.results.layout import (
    LINE_POINTS,
    MAX_ROW_POINTS,
    fit_widths,
    row_points,
    wrapped_lines,
)
from coordinator.services.results.sheets import header_text


def test_lines_follow_words_line_breaks_and_width():
    assert wrapped_lines("kort", 10) == 1
    assert wrapped_lines("rad ett\nrad två\nrad tre", 40) == 3
    words = " ".join(["ordet"] * 20)  # 119 characters
    assert wrapped_lines(words, 60) == 2
    assert wrapped_lines(words, 20) > wrapped_lines(words, 40) > 1
    assert wrapped_lines("x" * 100, 10) >= 10  # one long word is broken where lines end


def test_a_row_is_as_tall_as_its_tallest_cell_and_no_taller_than_excel_allows():
    assert row_points([("kort", 10), ("också kort", 20)]) is None
    assert row_points([("a\nb\nc", 10), ("kort", 10)]) == 3 * LINE_POINTS + 2
    assert row_points([("å" * 40_000, 40)]) == MAX_ROW_POINTS


def test_columns_shrink_in_proportion_to_fit_the_page():
    assert fit_widths([30, 40]) == [30, 40]
    shrunk = fit_widths([40, 60, 60, 24])
    assert sum(shrunk) <= 140 and shrunk[1] == shrunk[2] and min(shrunk) >= 8


def test_a_title_cannot_add_codes_to_the_page_header():
    assert header_text("Forskning & utveckling &P") == "Forskning && utveckling &&P"
    long = header_text("x" * 300)
    assert len(long) == 120 and long.endswith("…")


def test_staff_texts_stay_text_in_titles_merged_cells_and_charts(app):
    import io
    import zipfile

    from openpyxl import load_workbook

    from coordinator.extensions import db
    from coordinator.services.results.workbook import write_workbook
    from tests.factories import make_survey

    survey = make_survey()
    survey.title = '=HYPERLINK("http://example.com","x") & Co'
    survey.questions[0].text = "=1+1"
    survey.questions[0].number = "=2"
    db.session.commit()
    buffer = io.BytesIO()
    write_workbook(survey, buffer, now=survey.deadline_at)
    data = buffer.getvalue()
    book = load_workbook(io.BytesIO(data))
    assert book["Översikt"]["A1"].value == survey.title
    assert book["=2"]["A2"].value == "=1+1" and book["=2"]["A1"].value == "Fråga =2"
    assert book["Översikt"].oddHeader.left.text == '&B=HYPERLINK("http://example.com","x") && Co'
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert all("<f>" not in z.read(n).decode() for n in sheets)
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert any("<a:t>Fråga =2</a:t>" in chart for chart in charts)  # a title, not a reference
