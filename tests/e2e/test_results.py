"""The results page in Chromium: accessible, and its numbers are the workbook's."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from coordinator.extensions import db
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    save_answers,
    submit_response,
)
from tests.e2e.axe import assert_accessible
from tests.factories import (
    make_contact,
    make_invitation,
    make_organisation,
    make_survey,
    make_user,
)

pytestmark = pytest.mark.e2e


def test_results_page_matches_the_workbook(live_app, page, log_in):
    deadline = datetime(2030, 8, 23, 21, 59, tzinfo=UTC)
    survey = make_survey(deadline_at=deadline)
    q = {q.number: q.id for q in survey.questions}
    for code, name, choice, sectors in (
        ("12", "Skåne", "yes", ["C", "F"]),
        ("20", "Dalarna", "no", ["C"]),
        ("14", "Västra Götaland", "yes", []),
    ):
        invitation, _ = make_invitation(
            survey, make_contact(make_organisation(f"Länsstyrelsen {name}", code))
        )
        response = get_or_create_response(invitation, deadline - timedelta(days=1))
        save_answers(
            response,
            {
                q["1"]: AnswerInput(choice, f"Kommentar från {name}"),
                q["2a"]: AnswerInput(text="Exempel"),
                q["3"]: AnswerInput(options=sectors),
            },
            None,
            deadline - timedelta(days=1),
        )
        submit_response(response, deadline - timedelta(days=1))
    make_user("coordinator", email="pia@example.org")
    survey_id = survey.id
    db.session.commit()

    log_in("pia@example.org")
    page.goto(f"/surveys/{survey_id}/results")
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultat")
    assert_accessible(page, "results")
    tables = page.locator("table.result-table")
    shown = {}
    for i in range(tables.count()):
        for row in tables.nth(i).locator("tbody tr").all():
            label = row.locator("th").inner_text()
            shown.setdefault(i, []).append((label, int(row.locator("td").inner_text())))
    assert shown[0] == [("Ja", 2), ("Nej", 1)]
    charts = page.locator("svg.chart[role=img]")
    assert charts.count() == tables.count() == 2
    drawn = [
        [int(v) for v in charts.nth(i).locator("text.chart-value").all_text_contents()]
        for i in range(charts.count())
    ]
    assert drawn == [[count for _, count in shown[i]] for i in range(tables.count())]
    expect(page.locator("main")).to_contain_text("Kommentar från Dalarna")

    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ner Excel-arbetsbok").click()
    with open(download.value.path(), "rb") as downloaded:
        workbook = load_workbook(io.BytesIO(downloaded.read()))
    in_workbook = [
        (r[0], r[1])
        for r in workbook["Sammanställning"].iter_rows(values_only=True)
        if r[0] and isinstance(r[1], int)
    ]
    assert in_workbook == [pair for rows in shown.values() for pair in rows]
    assert download.value.suggested_filename.startswith("Enkät om näringslivet ")
    assert re.search(r"\.xlsx$", download.value.suggested_filename)

    page.get_by_label("Svar", exact=True).select_option("late")
    page.get_by_role("button", name="Visa").click()
    expect(page.locator("main")).to_contain_text("0 svar ingår.")

    page.get_by_role("link", name="Underlag till mötesanteckningar").click()
    expect(page.get_by_label("Anteckningar", exact=True)).to_contain_text("Kommentar från Skåne")
    assert_accessible(page, "workshop notes")
