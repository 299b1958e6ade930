"""The project space through HTTP: projects, uploads and downloads, meetings and their
calendar files, notes with conflicts, news, the public page and feed, and search."""

import io
import zipfile
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import (
    AuditEvent,
    Document,
    Meeting,
    NewsItem,
    OutboxAttachment,
    OutboxMessage,
    Project,
)
from tests.factories import (
    make_contact,
    make_meeting,
    make_network,
    make_news,
    make_organisation,
    make_project,
    make_survey,
    make_user,
)
from tests.services.test_project_space import XSS
from tests.support import login

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def _member(client, visibility="staff", slug="naringsliv"):
    user = make_user("coordinator", name="Pia Projektledare")
    project = make_project("Näringsliv och miljömål", slug=slug)
    project.visibility = visibility
    project.members = [user]
    db.session.commit()
    login(client, user)
    return project, user


def _ooxml(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<x/>")
    return buffer.getvalue()


def _upload(client_request, url, data, name, **fields):
    return client_request.post(
        url, {"file": (io.BytesIO(data), name), **fields}, follow=True, status=200
    )


# Projects


def test_coordinator_creates_a_project_and_becomes_a_member(app, client, client_request):
    user = make_user("coordinator")
    other = make_user("coordinator", name="Olle")
    db.session.commit()
    login(client, user)
    page = client_request.get("/projects/new")
    assert page.find("select", id="leader").find("option", selected=True)["value"] == str(user.id)
    path = client_request.post(
        "/projects/new",
        {
            "title": "Näringsliv och miljömål",
            "slug": "naringsliv",
            "purpose": "- Att underlätta",
            "origin": "RUS VP 2017 och 2018",
            "state": "running",
            "visibility": "public",
            "leader": str(other.id),
            "members": [],
        },
    )
    assert path == "/projects/naringsliv"
    project = db.session.scalar(select(Project))
    assert project.leader is other and set(project.members) == {user, other}
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "project.create"))
    page = client_request.post(
        "/projects/new",
        {
            "title": "Annat",
            "slug": "naringsliv",
            "state": "running",
            "visibility": "staff",
            "leader": "",
        },
        status=200,
    )
    assert "Kortnamnet används redan" in page.find(class_="error-summary").get_text()
    assert page.title.get_text().startswith("Fel: ")


def test_overview_lists_next_meeting_open_surveys_and_latest_news(app, client, client_request):
    project, user = _member(client)
    meeting, _ = make_meeting(project, user)
    meeting.starts_at = datetime.now(UTC) + timedelta(days=3)
    meeting.ends_at = meeting.starts_at + timedelta(hours=1)
    make_survey(project=project, state="open")
    make_news(project, title="Enkäten är ute")
    db.session.commit()
    row = client_request.get("/projects").find("tbody").find("tr")
    text = row.get_text(" ", strip=True)
    assert meeting.title in text and "Enkäten är ute" in text and "svara senast" in text


# Documents


@pytest.mark.parametrize(
    "data,name,content_type",
    [
        (PDF, "Projektplan.pdf", "application/pdf"),
        (_ooxml("word"), "plan.docx", "application/vnd.openxmlformats-officedocument"),
        (_ooxml("xl"), "budget.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheet"),
        (_ooxml("ppt"), "bilder.pptx", "application/vnd.openxmlformats-officedocument.present"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, "gammal.doc", "application/msword"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "karta.png", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, "foto.jpg", "image/jpeg"),
        (b"GIF89a" + b"\0" * 20, "anim.gif", "image/gif"),
    ],
)
def test_allowed_files_upload_and_download_as_attachments(
    app, client, client_request, data, name, content_type
):
    project, _ = _member(client)
    page = _upload(client_request, "/projects/naringsliv/documents", data, name, title="Plan")
    assert "Dokumentet är uppladdat" in page.get_text()
    version = db.session.scalar(select(Document)).current
    response = client.get(f"/documents/{version.id}")
    assert response.data == data
    assert response.headers["Content-Type"].startswith(content_type)
    assert response.headers["Content-Disposition"].startswith("attachment; ")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "data,name,message",
    [
        (b"<!doctype html><script>alert(1)</script>", "plan.pdf", "Filtypen är inte tillåten"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "plan.pdf", "Filtypen"),
        (b"<svg onload=alert(1)>", "bild.svg", "Filtypen är inte tillåten"),
        (b"MZ\x90\x00\x03" + b"\0" * 50, "program.exe", "Filtypen är inte tillåten"),
        (b"\x7fELF\x02\x01" + b"\0" * 50, "plan.pdf", "Filtypen är inte tillåten"),
        (b"PK\x03\x04broken", "plan.docx", "Filen är skadad"),
        (b"", "tom.pdf", "Filen är tom"),
    ],
)
def test_refused_files_say_why(app, client, client_request, data, name, message):
    _member(client)
    page = _upload(client_request, "/projects/naringsliv/documents", data, name)
    assert message in page.find(class_="flash-error").get_text()
    assert db.session.scalar(select(Document)) is None


def test_a_file_over_the_limit_is_refused(app, client, client_request):
    _member(client)
    app.config["UPLOAD_MAX_BYTES"], limit = 1024 * 1024, app.config["UPLOAD_MAX_BYTES"]
    try:
        page = _upload(
            client_request, "/projects/naringsliv/documents", PDF + b"x" * 1024 * 1024, "s.pdf"
        )
    finally:
        app.config["UPLOAD_MAX_BYTES"] = limit
    assert "Filen är för stor. Högst 1 MB." in page.find(class_="flash-error").get_text()


def test_no_file_chosen(app, client, client_request):
    _member(client)
    page = client_request.post("/projects/naringsliv/documents", {}, follow=True, status=200)
    assert "Välj en fil att ladda upp" in page.find(class_="flash-error").get_text()


def test_replacing_keeps_every_version_downloadable(app, client, client_request):
    _member(client)
    _upload(client_request, "/projects/naringsliv/documents", PDF, "plan.pdf", title="Plan")
    document = db.session.scalar(select(Document))
    _upload(
        client_request,
        "/projects/naringsliv/documents",
        PDF + b"% v2",
        "Plan för miljömål v2.pdf",
        replaces=str(document.id),
    )
    db.session.expire_all()
    assert [v.filename for v in document.versions] == ["plan.pdf", "Plan för miljömål v2.pdf"]
    page = client_request.get("/projects/naringsliv")
    earlier = page.find("details")
    assert "plan.pdf" in earlier.get_text()
    assert client.get(earlier.find("a")["href"]).data == PDF
    disposition = client.get(f"/documents/{document.current.id}").headers["Content-Disposition"]
    assert disposition == (
        'attachment; filename="Plan for miljomal v2.pdf"; '
        "filename*=UTF-8''Plan%20f%C3%B6r%20milj%C3%B6m%C3%A5l%20v2.pdf"
    )


def test_downloads_cannot_reach_other_files(app, client, client_request):
    project, user = _member(client, visibility="public")
    _, version = make_meeting(project, user)
    other = make_project(slug="annat")
    other.visibility = "public"
    _, foreign = make_meeting(other, user)
    db.session.commit()
    for url in (
        "/documents/..%2F..%2Fetc%2Fpasswd",
        "/documents/../../etc/passwd",
        "/documents/%2e%2e%2fconfig.py",
        f"/p/naringsliv/documents/{foreign.id}",
        f"/p/naringsliv/documents/..%2F{version.id}",
        "/documents/999999",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/p/naringsliv/documents/{version.id}").status_code == 200


def test_meeting_attachments_are_public_once_the_notes_are(app, client, client_request):
    project, user = _member(client, visibility="public")
    meeting, _ = make_meeting(project, user)
    meeting.revisions[0].published = False
    db.session.commit()
    page = _upload(client_request, f"/meetings/{meeting.id}/documents", PDF, "bilaga.pdf")
    assert "bilaga.pdf" in page.find(id="bilagor").find_next("ul").get_text()
    version = db.session.scalar(select(Document).where(Document.meeting_id == meeting.id)).current
    anonymous = app.test_client()
    assert anonymous.get(f"/p/naringsliv/documents/{version.id}").status_code == 404
    assert "bilaga.pdf" not in anonymous.get("/p/naringsliv").get_data(as_text=True)
    meeting.revisions[0].published = True
    db.session.commit()
    assert "bilaga.pdf" in anonymous.get("/p/naringsliv").get_data(as_text=True)
    assert anonymous.get(f"/p/naringsliv/documents/{version.id}").status_code == 200


# Meetings


def _meeting_form(**values):
    return {
        "title": "Skypemöte om projektet",
        "date": "2018-09-18",
        "start": "09:00",
        "end": "10:30",
        "place": "",
        "online_url": "https://meet.example.org/rus",
        "agenda": "1. Enkäten",
        **values,
    }


def test_meeting_with_networks_and_single_contacts(app, client, client_request):
    _member(client)
    org = make_organisation()
    network = make_network("NHT 21", [make_contact(org, email="a@example.org")])
    extra = make_contact(org, email="extra@example.org")
    db.session.commit()
    page = client_request.post(
        "/projects/naringsliv/meetings/new",
        _meeting_form(networks=[network.id], contact_emails="EXTRA@example.org\nokand@example.org"),
        status=200,
    )
    assert "okand@example.org" in page.find(class_="error-summary").get_text()
    path = client_request.post(
        "/projects/naringsliv/meetings/new",
        _meeting_form(networks=[network.id], contact_emails="EXTRA@example.org"),
    )
    meeting = db.session.scalar(select(Meeting))
    assert path == f"/meetings/{meeting.id}"
    assert meeting.contacts == [extra]
    assert meeting.starts_at == datetime(2018, 9, 18, 7, 0, tzinfo=UTC)
    page = client_request.get(path)
    assert "Skicka inbjudan (2)" in page.get_text()
    client_request.post(f"/meetings/{meeting.id}/invite")
    assert db.session.query(OutboxMessage).count() == 2
    attachment = db.session.scalar(select(OutboxAttachment))
    assert attachment.content_type.startswith("text/calendar")

    page = client_request.post(
        f"/meetings/{meeting.id}/edit",
        _meeting_form(start="13:00", end="14:00", networks=[network.id]),
        follow=True,
        status=200,
    )
    assert "1 inbjudna får en uppdaterad" in page.get_text()
    assert "1 som inte längre är inbjudna får ett återbud" in page.get_text()
    db.session.expire_all()
    assert meeting.sequence == 1 and db.session.query(OutboxMessage).count() == 4
    sent = db.session.scalars(select(OutboxAttachment).order_by(OutboxAttachment.id)).all()
    by_method = {Calendar.from_ical(a.data)["method"]: a for a in sent[-2:]}
    update = Calendar.from_ical(by_method["REQUEST"].data).walk("VEVENT")[0]
    assert update["sequence"] == 1 and update.decoded("dtstart").hour == 13
    assert by_method["CANCEL"].message.recipient_email == "extra@example.org"

    client_request.post(f"/meetings/{meeting.id}/cancel")
    cancel = db.session.scalars(select(OutboxAttachment).order_by(OutboxAttachment.id)).all()[-1]
    assert Calendar.from_ical(cancel.data)["method"] == "CANCEL"
    page = client_request.post(f"/meetings/{meeting.id}/edit", follow=True, status=200)
    assert "inställt och kan inte ändras" in page.get_text()
    page = client_request.post(f"/meetings/{meeting.id}/invite", follow=True, status=200)
    assert "redan inställt" in page.get_text()


def test_add_to_calendar_download(app, client, client_request):
    project, user = _member(client)
    meeting, _ = make_meeting(project, user)
    db.session.commit()
    response = client.get(f"/meetings/{meeting.id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    calendar = Calendar.from_ical(response.data)
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("dtstart").astimezone(UTC) == meeting.starts_at
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Stockholm"


# Notes


def test_two_coordinators_editing_at_once_lose_nothing(app, client, client_request):
    project, anna = _member(client)
    meeting, _ = make_meeting(project, anna, notes="Närvarande: Anna")
    pia = make_user("coordinator", name="Pia")
    project.members.append(pia)
    db.session.commit()
    start = client_request.get(f"/meetings/{meeting.id}/notes")
    based_on = start.find("input", {"name": "based_on"})["value"]
    path = client_request.post(
        f"/meetings/{meeting.id}/notes",
        {"text": "Närvarande: Anna\nBeslut: Annas beslut", "based_on": based_on, "action": "save"},
    )
    assert path == f"/meetings/{meeting.id}"
    login(client, pia)
    page = client_request.post(
        f"/meetings/{meeting.id}/notes",
        {"text": "Närvarande: Anna\nÅtgärd: Pias åtgärd", "based_on": based_on, "action": "save"},
        status=200,
    )
    assert "sparade anteckningarna" in page.find(role="alert").get_text()
    assert "Pias åtgärd" in page.find("textarea").get_text()
    assert "Annas beslut" in page.find(class_="conflict-text").get_text()
    assert "Annas beslut" in page.find(class_="diff").get_text().replace("\xa0", " ")
    db.session.expire_all()
    assert [r.text.splitlines()[-1] for r in meeting.revisions] == [
        "Närvarande: Anna",
        "Beslut: Annas beslut",
    ]
    merged = "Närvarande: Anna\nBeslut: Annas beslut\nÅtgärd: Pias åtgärd"
    client_request.post(
        f"/meetings/{meeting.id}/notes",
        {
            "text": merged,
            "based_on": page.find("input", {"name": "based_on"})["value"],
            "action": "save",
        },
    )
    db.session.expire_all()
    assert meeting.latest_revision.text == merged and len(meeting.revisions) == 3


def test_preview_restore_and_history(app, client, client_request):
    project, user = _member(client)
    meeting, _ = make_meeting(project, user, notes="Första <b>texten</b>")
    db.session.commit()
    first = meeting.revisions[0]
    page = client_request.post(
        f"/meetings/{meeting.id}/notes",
        {"text": "**Fet** <script>alert(1)</script>", "based_on": first.id, "action": "preview"},
        status=200,
    )
    preview = page.find(class_="preview-banner")
    assert preview.find("strong").get_text() == "Fet" and preview.find("script") is None
    assert len(meeting.revisions) == 1
    client_request.post(
        f"/meetings/{meeting.id}/notes",
        {"text": "Andra texten", "based_on": first.id, "action": "save", "published": "y"},
    )
    page = client_request.get(f"/meetings/{meeting.id}/notes/history")
    diff = page.find("table", class_="diff")
    text = diff.get_text()
    assert diff.find("b") is None and "Första <b>texten</b>" in text and "Andra texten" in text
    assert [d.get_text() for d in diff.select("del")] == ["Borttaget: Första <b>texten</b>"]
    assert [i.get_text() for i in diff.select("ins")] == ["Tillagt: Andra texten"]
    client_request.post(f"/meetings/{meeting.id}/notes/restore/{first.id}")
    db.session.expire_all()
    assert [r.text for r in meeting.revisions][-1] == "Första <b>texten</b>"
    assert len(meeting.revisions) == 3 and meeting.revisions[-1].published


# News


def test_news_linked_to_a_survey_draft_then_published(app, client, client_request):
    project, _ = _member(client, visibility="public")
    survey = make_survey(project=project, state="open")
    foreign = make_survey(state="open")
    db.session.commit()
    form = {"title": "Enkäten är ute", "date": "2018-07-02", "body": "Svara gärna."}
    page = client_request.post(
        "/projects/naringsliv/news/new", {**form, "survey_id": str(foreign.id)}, status=200
    )
    assert page.find(class_="error-summary")
    client_request.post("/projects/naringsliv/news/new", {**form, "survey_id": str(survey.id)})
    item = db.session.scalar(select(NewsItem))
    staff_page = client_request.get("/projects/naringsliv")
    news = staff_page.find(id=f"news-{item.id}")
    assert "utkast" in news.get_text() and "svara senast" in news.get_text()
    assert news.find("a", href=f"/surveys/{survey.id}/dashboard")
    anonymous = app.test_client()
    assert "Enkäten är ute" not in anonymous.get("/p/naringsliv").get_data(as_text=True)
    assert b"Enk" not in anonymous.get("/p/naringsliv/feed.xml").data
    client_request.post(f"/news/{item.id}/edit", {**form, "published": "y", "survey_id": ""})
    client_request.post(
        f"/news/{item.id}/edit", {**form, "published": "y", "survey_id": str(survey.id)}
    )
    public = anonymous.get("/p/naringsliv").get_data(as_text=True)
    assert "Enkäten är ute" in public and "svara senast" in public
    assert f"/surveys/{survey.id}" not in public
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "news.publish"))


def test_feed_is_valid_atom_with_escaped_text(app, client):
    project = make_project(slug="flode")
    project.visibility = "public"
    make_news(project, title='Nytt <&> "citat"')
    make_news(project, published=False, title="Hemligt")
    db.session.commit()
    response = client.get("/p/flode/feed.xml")
    root = ET.fromstring(response.data)  # noqa: S314 - our own output
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.find(f"{atom}title").text for e in root.findall(f"{atom}entry")]
    assert titles == ['Nytt <&> "citat"']
    assert root.find(f"{atom}id").text == "http://localhost/p/flode"


# Sanitising and access


@pytest.mark.parametrize("payload", XSS)
def test_attacks_render_inert_everywhere_and_stay_editable(app, client, client_request, payload):
    project, user = _member(client, visibility="public")
    project.purpose = payload
    project.origin = payload
    meeting, _ = make_meeting(project, user, notes=payload)
    news = make_news(project)
    news.body = payload
    survey = make_survey(project=project, state="open")
    survey.introduction = payload
    db.session.commit()
    for url, reader in (
        ("/p/naringsliv", app.test_client()),
        ("/projects/naringsliv", client),
        (f"/meetings/{meeting.id}", client),
        (f"/surveys/{survey.id}", client),
    ):
        main = BeautifulSoup(reader.get(url).get_data(as_text=True), "html.parser").main
        for tag in main.find_all(True):
            assert tag.name not in ("script", "iframe", "svg", "style", "object", "img"), url
            for name, value in tag.attrs.items():
                assert not name.startswith("on") and name != "style", (url, tag)
                if name in ("href", "src", "action"):
                    assert not str(value).lower().startswith(("javascript:", "data:")), tag
    edit = client_request.get(f"/meetings/{meeting.id}/notes")
    assert edit.find("textarea").get_text().removeprefix("\r\n") == payload
    edit = client_request.get("/projects/naringsliv/edit")
    assert edit.find("textarea", id="purpose").get_text().removeprefix("\r\n") == payload


def test_staff_only_project_is_404_publicly_even_when_logged_in(app, client):
    project, _ = _member(client)
    make_news(project)
    db.session.commit()
    for url in ("/p/naringsliv", "/p/naringsliv/feed.xml", "/p/finns-inte"):
        assert client.get(url).status_code == 404
        assert app.test_client().get(url).status_code == 404


def test_viewer_reads_but_does_not_edit(app, client, client_request):
    project, member = _member(client)
    meeting, _ = make_meeting(project, member)
    viewer = make_user("viewer")
    db.session.commit()
    login(client, viewer)
    page = client_request.get("/projects/naringsliv")
    assert page.find("a", string="Ändra projektet") is None
    assert page.find("form", enctype="multipart/form-data") is None
    client_request.get(f"/meetings/{meeting.id}")
    assert client.get(f"/meetings/{meeting.id}/notes").status_code == 403


# Search


def test_search_box_finds_swedish_words_in_every_kind(app, client, client_request):
    project, user = _member(client)
    project.purpose = "Att stödja NÄRINGSLIVETS arbete"
    make_meeting(project, user, notes="Åtgärd: Ring Östergötland")
    make_news(project, title="Workshop i Växjö")
    make_contact(make_organisation("Länsstyrelsen i Örebro län", "18"), name="Åsa Öberg")
    db.session.commit()
    page = client_request.get("/projects")
    assert page.find("form", role="search").find("label").get_text() == "Sök"

    def kinds(q):
        found = client_request.get("/search", query_string={"q": q}).select(".search-results li")
        return [li.find(class_="tag").get_text() for li in found]

    assert kinds("näringslivets") == ["Projekt"]
    assert kinds("östergötland") == ["Anteckningar"]
    assert kinds("möte") == ["Möte"]
    assert kinds("VÄXJÖ") == ["Aktuellt"]
    assert kinds("åsa öberg") == ["Kontakt"]
    assert kinds("finns inte alls") == []


def test_meeting_times_in_the_clock_changes_are_never_guessed(app, client, client_request):
    _member(client)
    db.session.commit()
    url = "/projects/naringsliv/meetings/new"
    page = client_request.post(
        url, _meeting_form(date="2026-03-29", start="02:15", end="04:00"), status=200
    )
    assert [a["href"] for a in page.select(".error-summary a")] == ["#start"]
    assert "Välj 01:59 eller 03:00" in page.find(id="start-error").get_text()
    autumn = _meeting_form(date="2026-10-25", start="01:30", end="02:30")
    page = client_request.post(url, autumn, status=200)
    assert [a["href"] for a in page.select(".error-summary a")] == ["#end"]
    assert page.select("input[name=end_fold]") and not page.select("input[name=start_fold]")
    assert db.session.scalar(select(Meeting)) is None
    assert client_request.post(url, {**autumn, "end_fold": "1"}).startswith("/meetings/")
    meeting = db.session.scalar(select(Meeting))
    assert meeting.ends_at - meeting.starts_at == timedelta(hours=2)
    edit = client_request.get(f"/meetings/{meeting.id}/edit")
    assert edit.find("input", attrs={"name": "end_fold", "value": "1"}).has_attr("checked")
