"""The accessibility statement, reachable from every page, and who is asking: the sender's
name and logo in the header and title, the product's name in the footer."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from coordinator.extensions import db
from tests.factories import make_invitation, make_project, make_survey
from tests.support import SENDER_LOGO

SENDER = "RUS – Länsstyrelsernas samverkan i miljömålssystemet"


@pytest.fixture
def config(app):
    """`config(NAME=value)` changes the shared app's settings for this test only."""
    before = {}

    def change(**values):
        for key, value in values.items():
            before.setdefault(key, app.config[key])
            app.config[key] = value

    yield change
    app.config.update(before)


def _public_pages():
    survey = make_survey()
    survey.project.visibility = "public"
    _, token = make_invitation(survey)
    db.session.commit()
    return [
        "/login",
        f"/p/{survey.project.slug}",
        f"/r/{token}",
        "/accessibility",
        "/no-such-page",
    ]


def test_every_public_and_respondent_page_links_the_statement_and_names_the_sender(client):
    for url in _public_pages():
        response = client.get(url)
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        footer = page.select_one("footer")
        assert footer.find("a", href="/accessibility").get_text() == "Tillgänglighetsredogörelse"
        assert footer.select_one(".product").get_text() == "Coordinator", url
        assert page.select_one("header .brand-name").get_text() == SENDER, url
        assert page.title.get_text().endswith(f" – {SENDER}"), url
        logo = page.select_one("header img.brand-logo")
        assert logo["src"] == "/logo" and logo["alt"] == "", url


def test_the_default_statement_follows_the_model(client_request, config):
    config(ACCESSIBILITY_CONTACT="tillganglighet@example.org")
    page = client_request.get("/accessibility")
    assert page.h1.get_text() == "Tillgänglighetsredogörelse"
    headings = [h.get_text() for h in page.select("main h2")]
    assert headings == [
        "Hur tillgänglig är tjänsten?",
        "Vad kan du göra om du inte kan använda delar av tjänsten?",
        "Rapportera brister i tjänstens tillgänglighet",
        "Tillsyn",
        "Teknisk information om tjänstens tillgänglighet",
        "Hur vi testat tjänsten",
    ]
    text = page.select_one("main").get_text(" ", strip=True)
    assert "delvis förenlig" in text and SENDER in text
    assert page.select_one('main a[href="mailto:tillganglighet@example.org"]')
    assert page.select_one('main a[href="https://www.digg.se/tdosanmalan"]')
    assert page.select("main h3 + ul li"), "known shortcomings are listed"
    assert "27 november 2026" in text


def test_the_operator_writes_the_statement(client_request, client, config, tmp_path):
    swedish = tmp_path / "redogorelse.md"
    swedish.write_text("## Vår egen text\n\nVi svarar inom två dagar.", encoding="utf-8")
    config(ACCESSIBILITY_STATEMENT_FILE=str(swedish))
    page = client_request.get("/accessibility")
    assert page.select_one("main h2").get_text() == "Vår egen text"
    assert "Digg" not in page.select_one("main").get_text()
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client_request.get("/accessibility")
    assert page.html["lang"] == "en"
    assert page.h1.get_text() == "Accessibility statement"
    assert page.select_one('main div[lang="sv"] h2').get_text() == "Vår egen text"
    english = tmp_path / "statement.md"
    english.write_text("## Our own text", encoding="utf-8")
    config(ACCESSIBILITY_STATEMENT_FILE_EN=str(english))
    page = client_request.get("/accessibility")
    assert page.select_one("main h2").get_text() == "Our own text"
    assert not page.select("main [lang]")


def test_the_logo_is_served_when_configured_and_absent_otherwise(client, client_request, config):
    with client.get("/logo") as response:
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert response.data == SENDER_LOGO.read_bytes()
    config(SENDER_LOGO="", SENDER_NAME="Länsstyrelsen i Exempellän")
    assert client.get("/logo").status_code == 404
    project = make_project()
    project.visibility = "public"
    db.session.commit()
    page = client_request.get(f"/p/{project.slug}")
    assert not page.select("header img")
    assert page.select_one("header .brand-name").get_text() == "Länsstyrelsen i Exempellän"
    assert page.title.get_text().endswith(" – Länsstyrelsen i Exempellän")


def test_the_site_has_an_icon(client):
    page = BeautifulSoup(client.get("/login").get_data(as_text=True), "html.parser")
    for link in page.select('link[rel="icon"]'):
        with client.get(link["href"]) as response:
            assert response.status_code == 200 and response.mimetype.startswith("image/")
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200 and response.data[:4] == b"\x00\x00\x01\x00"
