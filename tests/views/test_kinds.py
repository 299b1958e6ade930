"""Every kind of question through the respondent's pages and the staff pages: answered,
saved, refused with a message (nothing else lost), checked, submitted, read, exported."""

import csv
import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import AnswerFile, OutboxMessage, Response
from coordinator.services.projects.storage import storage
from coordinator.services.surveys.responses import stored_answers, working_answers
from tests.factories import (
    PDF,
    every_kind_questions,
    make_contact,
    make_invitation,
    make_organisation,
    make_survey,
    make_user,
)
from tests.support import csrf_token, login

FUTURE = datetime.now(UTC) + timedelta(days=30)


def _arrange():
    survey = make_survey(deadline_at=FUTURE, questions=every_kind_questions())
    organisation = make_organisation("Länsstyrelsen Dalarna", "20")
    invitation, token = make_invitation(survey, make_contact(organisation, name="Karin Berg"))
    db.session.commit()
    return survey, invitation, token, {q.number: q.id for q in survey.questions}


def _answers(q, **changes):
    data = {
        "version": "0",
        f"q{q['1']}_choice": "yes",
        f"q{q['1']}_text": "Strategin antogs i våras.",
        f"q{q['2']}_text": "Miljömålssamordnaren",
        f"q{q['3']}_text": "- Klimatråd\n- Energikartläggning",
        f"q{q['4']}_choice": "Varje kvartal",
        f"q{q['5']}_options": ["C", "F"],
        f"q{q['5']}_other": "Besöksnäring",
        f"q{q['6']}_text": "1 200,5",
        f"q{q['7']}_text": "2019-03-01",
        f"q{q['8']}_choice": "2",
        f"q{q['8a']}_text": "Fler möten med företagen.",
        f"q{q['9']}_row0_choice": "4",
        f"q{q['9']}_row1_choice": "dont_know",
        f"q{q['9']}_row2_choice": "2",
        f"q{q['1a']}_files": (io.BytesIO(PDF), "strategi.pdf"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _post(client_request, token, data, status=302, action="save"):
    return client_request.post(
        f"/r/{token}", {"action": action, **data}, status=status, content_type="multipart/form-data"
    )


def test_every_kind_answered_read_back_submitted_and_received(app, client_request):
    survey, invitation, token, q = _arrange()
    page = client_request.get(f"/r/{token}")
    assert page.find("form", enctype="multipart/form-data")
    assert len(page.select("fieldset.question")) == 11
    assert page.find("input", id=f"q{q['6']}_text")["inputmode"] == "decimal"
    assert "Besvara om du svarat Ja på fråga 1" in page.get_text()

    assert _post(client_request, token, _answers(q), action="review") == f"/r/{token}/check"
    response = db.session.scalar(select(Response))
    stored = stored_answers(response)
    assert stored[q["6"]].value == Decimal("1200.5")
    assert stored[q["7"]].value == date(2019, 3, 1)
    assert stored[q["8"]].choice == "2"
    assert stored[q["9"]].rows == {"A": "4", "C": "dont_know", "H": "2"}
    assert [f.filename for f in stored[q["1a"]].files] == ["strategi.pdf"]

    form = client_request.get(f"/r/{token}")
    assert form.find("input", id=f"q{q['6']}_text")["value"] == "1200,5"
    assert form.find("input", id=f"q{q['7']}_text")["value"] == "2019-03-01"
    assert form.find("input", id=f"q{q['8']}_choice-1").has_attr("checked")
    assert form.find("input", id=f"q{q['9']}_row1_choice-5").has_attr("checked")  # Vet ej
    link = form.find("a", string="strategi.pdf")["href"]
    download = client_request.client.get(link)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")

    check = client_request.get(f"/r/{token}/check").get_text()
    for shown in ("1200,5 årsarbetskrafter", "2019-03-01", "2 av 5", "Transport", "Vet ej"):
        assert shown in check
    assert client_request.post(f"/r/{token}/submit") == f"/r/{token}/done"
    receipt = db.session.scalar(select(OutboxMessage).where(OutboxMessage.cause_type == "receipt"))
    for shown in ("1200,5 årsarbetskrafter", "strategi.pdf (1 kB)", "Jordbruk: 4 av 5"):
        assert shown in receipt.text_body


def test_refused_number_date_and_file_keep_everything_else(app, client_request):
    survey, invitation, token, q = _arrange()
    data = _answers(
        q,
        **{
            f"q{q['6']}_text": "tolv",
            f"q{q['7']}_text": "2019-02-30",
            f"q{q['1a']}_files": (io.BytesIO(b"<html><script>x</script>"), "strategi.pdf"),
        },
    )
    page = _post(client_request, token, data, status=400)
    errors = {a["href"]: a.get_text() for a in page.select(".error-summary a")}
    assert errors[f"#q{q['6']}_text"] == "Skriv ett tal i fråga 6, till exempel 3,5 eller 1 200"
    assert "finns inte" in errors[f"#q{q['7']}_text"]
    assert (
        "strategi.pdf laddades inte upp: Filtypen är inte tillåten" in errors[f"#q{q['1a']}_files"]
    )
    assert page.find("input", id=f"q{q['6']}_text")["value"] == "tolv"
    assert page.find("input", id=f"q{q['7']}_text")["value"] == "2019-02-30"
    assert page.find("input", id=f"q{q['2']}_text")["value"] == "Miljömålssamordnaren"
    stored = stored_answers(db.session.scalar(select(Response)))
    assert stored[q["2"]].text == "Miljömålssamordnaren"
    assert stored[q["9"]].rows["A"] == "4"
    assert q["6"] not in stored and q["7"] not in stored and q["1a"] not in stored
    assert db.session.scalar(select(AnswerFile.id)) is None


def test_a_follow_up_whose_condition_is_not_met_is_ignored_and_never_required(app, client_request):
    survey, invitation, token, q = _arrange()
    data = _answers(
        q, **{f"q{q['1']}_choice": "no", f"q{q['8']}_choice": "4", f"q{q['8a']}_text": "Fläktar"}
    )
    assert _post(client_request, token, data, action="review") == f"/r/{token}/check"
    stored = stored_answers(db.session.scalar(select(Response)))
    # Kept as typed, so nothing is lost if the respondent changes their mind…
    assert stored[q["8a"]].text == "Fläktar"
    assert [f.filename for f in stored[q["1a"]].files] == ["strategi.pdf"]
    # …but not applicable wherever it is read.
    check = client_request.get(f"/r/{token}/check")
    assert check.get_text().count("Ej aktuell") == 2 and "Fläktar" not in check.get_text()
    assert client_request.post(f"/r/{token}/submit") == f"/r/{token}/done"
    receipt = db.session.scalar(select(OutboxMessage).where(OutboxMessage.cause_type == "receipt"))
    assert receipt.text_body.count("Ej aktuell") == 2 and "Fläktar" not in receipt.text_body
    login(client_request.client, make_user("viewer"))
    with client_request.client.get(f"/surveys/{survey.id}/attachments.zip") as archive:
        assert zipfile.ZipFile(io.BytesIO(archive.data)).namelist() == []
    results = client_request.get(f"/surveys/{survey.id}/results").get_text()
    assert "Fläktar" not in results and "strategi.pdf" not in results


def test_a_required_follow_up_is_required_when_shown(app, client_request):
    survey, invitation, token, q = _arrange()
    data = _answers(q, **{f"q{q['1a']}_files": None})
    page = _post(client_request, token, data, status=400, action="review")
    assert [a.get_text() for a in page.select(".error-summary a")] == [
        "Lägg till minst en fil i fråga 1a"
    ]


def test_files_are_removed_and_replaced_until_the_survey_closes(app, client_request):
    survey, invitation, token, q = _arrange()
    _post(client_request, token, _answers(q))
    first = db.session.scalar(select(AnswerFile))
    version = client_request.get(f"/r/{token}").find("input", attrs={"name": "version"})["value"]
    replaced = _answers(
        q,
        version=version,
        **{
            f"q{q['1a']}_remove": str(first.id),
            f"q{q['1a']}_files": (io.BytesIO(PDF), "ny strategi.pdf"),
        },
    )
    response = client_request.client.post(
        f"/r/{token}",
        data={"csrf_token": csrf_token(client_request.client, app), "action": f"upload-{q['1a']}"}
        | replaced,
        content_type="multipart/form-data",
    )
    assert response.location == f"/r/{token}#question-{q['1a']}"
    db.session.expire_all()
    assert [f.filename for f in db.session.scalars(select(AnswerFile))] == ["ny strategi.pdf"]
    assert client_request.client.get(f"/r/{token}/files/{first.id}").status_code == 404


def test_staff_read_the_response_the_results_and_the_exports(app, client, client_request):
    survey, invitation, token, q = _arrange()
    _post(client_request, token, _answers(q), action="review")
    client_request.post(f"/r/{token}/submit")
    login(client, make_user("viewer"))

    responses = client_request.get(
        f"/surveys/{survey.id}/organisations/{invitation.organisation_id}"
    )
    attachment = responses.find("a", string="strategi.pdf")["href"]
    assert client.get(attachment).data == PDF

    results = client_request.get(f"/surveys/{survey.id}/results")
    text = results.get_text()
    assert "Medelvärde" in text and "1200,5" in text
    assert results.select("svg.chart")
    assert "Ladda ner alla bilagor" in text

    with client.get(f"/surveys/{survey.id}/attachments.zip") as archive:
        names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert names == ["20 Länsstyrelsen Dalarna/1a strategi.pdf"]

    with client.get(f"/surveys/{survey.id}/export.xlsx") as workbook:
        sheet = load_workbook(io.BytesIO(workbook.data))["Alla svar"]
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    number = row["6: Hur många arbetar med detta? (årsarbetskrafter)"]
    assert number.value == 1200.5 and number.data_type == "n"
    day = row["7: Sedan när?"]
    assert day.value == datetime(2019, 3, 1) and day.number_format == "yyyy-mm-dd"

    with client.get(f"/surveys/{survey.id}/export.csv") as export:
        rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig")), delimiter=";"))
    values = dict(zip(rows[0], rows[1], strict=True))
    assert values["6: Hur många arbetar med detta? (årsarbetskrafter)"] == "1200,5"
    assert values["8: Hur väl fungerar samverkan med näringslivet?"] == "2"


def test_two_tabs_every_kind_on_the_conflict_page(app, client_request):
    survey, invitation, token, q = _arrange()
    _post(client_request, token, _answers(q, **{f"q{q['1a']}_files": None}))
    stale = _answers(
        q,
        **{
            f"q{q['6']}_text": "7",
            f"q{q['9']}_row0_choice": "1",
            f"q{q['1a']}_files": (io.BytesIO(PDF), "ny.pdf"),
        },
    )
    page = _post(client_request, token, stale, status=409)
    rows = {
        r.th.get_text(): [td.get_text(" ", strip=True) for td in r.find_all("td")]
        for r in page.select(".conflict-table tbody tr")
    }
    assert rows["6"] == ["7 årsarbetskrafter", "1200,5 årsarbetskrafter"]
    assert rows["9"][0].startswith("Jordbruk: 1 av 5 – Dåligt")
    assert rows["9"][1].startswith("Jordbruk: 4 av 5")
    assert rows["1a"][0] == "Ny fil, inte sparad: ny.pdf (1 kB)"
    kept = {i["name"]: i["value"] for i in page.select("form input[type=hidden]")}
    assert kept[f"q{q['6']}_text"] == "7" and kept[f"q{q['9']}_row0_choice"] == "1"


def test_changes_after_submitting_are_a_draft_of_changes_files_included(app, client_request):
    survey, invitation, token, q = _arrange()
    _post(client_request, token, _answers(q), action="review")
    client_request.post(f"/r/{token}/submit")
    response = db.session.scalar(select(Response))
    [submitted_file] = stored_answers(response)[q["1a"]].files
    version = client_request.get(f"/r/{token}").find("input", attrs={"name": "version"})["value"]
    changed = _answers(
        q,
        version=version,
        **{f"q{q['6']}_text": "2", f"q{q['1a']}_files": (io.BytesIO(PDF), "ny.pdf")},
    )
    _post(client_request, token, changed)
    db.session.expire_all()
    # The submitted answers stand; the draft of changes holds its own copy of the file.
    assert stored_answers(response)[q["6"]].value == Decimal("1200.5")
    assert working_answers(response)[q["6"]].value == Decimal(2)
    copy, new = working_answers(response)[q["1a"]].files
    assert (copy.filename, new.filename) == ("strategi.pdf", "ny.pdf")
    assert copy.id != submitted_file.id
    keys = {f.id: f.storage_key for f in db.session.scalars(select(AnswerFile))}
    login(client_request.client, make_user("viewer"))
    with client_request.client.get(f"/surveys/{survey.id}/attachments.zip") as archive:
        names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert names == ["20 Länsstyrelsen Dalarna/1a strategi.pdf"]  # what was submitted
    assert client_request.post(f"/r/{token}/submit") == f"/r/{token}/done"
    db.session.expire_all()
    assert stored_answers(response)[q["6"]].value == Decimal(2)
    assert [f.id for f in stored_answers(response)[q["1a"]].files] == [copy.id, new.id]
    assert not storage()._path(keys[submitted_file.id]).exists()  # the replaced file's bytes
    assert storage()._path(keys[copy.id]).exists()
    assert client_request.client.get(f"/r/{token}/files/{copy.id}").data == PDF
