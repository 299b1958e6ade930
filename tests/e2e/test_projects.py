"""The project space in Chromium: a coordinator builds a project page; the public sees only
what was published."""

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Meeting
from coordinator.services.projects.notes import save_notes
from tests.e2e.axe import assert_accessible
from tests.factories import make_contact, make_network, make_organisation, make_user

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_project_notes_meeting_and_public_page(live_app, browser, page, live_server, log_in):
    org = make_organisation("Länsstyrelsen Skåne", "12")
    make_network("Miljömålssamordnare", [make_contact(org, email="a@example.org")])
    make_network("NHT 21", [make_contact(org, email="b@example.org")])
    make_user("coordinator", email="pia@example.org", name="Pia Projektledare")
    db.session.commit()

    log_in("pia@example.org")
    page.get_by_role("link", name="Projekt", exact=True).click()
    assert_accessible(page, "project list")
    page.get_by_role("link", name="Nytt projekt").click()
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".error-summary")).to_contain_text("Ange projektets namn")
    assert_accessible(page, "new project with errors")
    page.get_by_label("Namn", exact=True).fill("Näringsliv och miljömål")
    page.get_by_label("Kortnamn i adressen").fill("naringsliv")
    page.get_by_label("Syfte").fill("- Att underlätta länsstyrelsernas arbete med miljömålen")
    page.get_by_label("Synlighet").select_option("public")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Näringsliv och miljömål")
    assert_accessible(page, "project page")

    page.get_by_role("link", name="Nytt möte").click()
    page.get_by_label("Rubrik").fill("Skypemöte om projektet")
    page.get_by_label("Datum").fill("2031-09-18")
    page.get_by_label("Börjar").fill("09:00")
    page.get_by_label("Slutar").fill("10:30")
    page.get_by_label("Miljömålssamordnare").check()
    page.get_by_label("NHT 21").check()
    assert_accessible(page, "meeting form")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skypemöte om projektet")
    page.get_by_role("button", name=re.compile("Skicka inbjudan")).click()
    expect(page.locator(".flash")).to_contain_text("2 e-postmeddelanden")
    assert_accessible(page, "meeting page")

    page.get_by_role("link", name="Skriv anteckningar").click()
    page.get_by_label("Mötesanteckningar").fill("Utkast som inte ska synas")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".flash")).to_contain_text("sparade")

    public = browser.new_context(base_url=live_server.url).new_page()
    public.goto("/p/naringsliv")
    expect(public.locator("main")).to_contain_text("Att underlätta länsstyrelsernas arbete")
    expect(public.locator("main")).not_to_contain_text("Utkast som inte ska synas")

    page.get_by_role("link", name="Skriv anteckningar").click()
    page.get_by_label("Mötesanteckningar").fill("Beslut: Workshop den 29 augusti.")
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.locator(".preview-banner")).to_contain_text("Workshop den 29 augusti")
    assert_accessible(page, "notes with preview")
    meeting = db.session.scalar(select(Meeting))
    colleague = make_user("coordinator", name="Olle Kollega")
    save_notes(
        meeting,
        "Närvarande: Olle",
        published=False,
        based_on=meeting.latest_revision.id,
        actor=colleague,
        now=datetime.now(UTC),
    )
    db.session.commit()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_contain_text("Olle Kollega sparade anteckningarna")
    expect(page.locator(".conflict-text")).to_contain_text("Närvarande: Olle")
    assert_accessible(page, "notes conflict")
    page.get_by_label("Mötesanteckningar").fill(
        "Närvarande: Olle\nBeslut: Workshop den 29 augusti."
    )
    page.get_by_label("Publicera anteckningarna").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".flash")).to_contain_text("sparade")
    page.get_by_role("link", name="Versioner av anteckningarna").click()
    expect(page.get_by_role("region", name="Skillnader")).to_contain_text("Workshop")
    assert_accessible(page, "history")

    page.goto("/projects/naringsliv")
    page.get_by_label("Fil", exact=True).set_input_files(
        files=[{"name": "projektplan.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Ladda upp").click()
    expect(page.locator(".flash")).to_contain_text("Dokumentet är uppladdat")
    page.get_by_label("Fil", exact=True).set_input_files(
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": b"<html>"}]
    )
    page.get_by_role("button", name="Ladda upp").click()
    expect(page.locator(".flash-error")).to_contain_text("Filtypen är inte tillåten")
    assert_accessible(page, "project page with a refused upload")

    for title, publish in (("Enkäten är skickad", True), ("Hemlig nyhet", False)):
        page.get_by_role("link", name="Ny nyhet").click()
        page.get_by_label("Rubrik").fill(title)
        page.get_by_label("Datum").fill("2031-07-02")
        page.get_by_label("Text").fill("Svara **senast** 23 augusti.")
        if publish:
            page.get_by_label("Publicera").check()
        assert_accessible(page, "news form")
        page.get_by_role("button", name="Spara").click()
        expect(page.locator(".flash")).to_contain_text("Nyheten är sparad")

    page.get_by_label("Sök", exact=True).fill("WORKSHOP")
    page.get_by_role("button", name="Sök", exact=True).first.click()
    expect(page.locator(".search-results")).to_contain_text("Skypemöte om projektet")
    assert_accessible(page, "search")

    public.reload()
    main = public.locator("main")
    expect(main).to_contain_text("Beslut: Workshop den 29 augusti.")
    expect(main).to_contain_text("Enkäten är skickad")
    expect(main).to_contain_text("projektplan.pdf")
    expect(main).not_to_contain_text("Hemlig nyhet")
    expect(main).not_to_contain_text("Utkast som inte ska synas")
    assert_accessible(public, "public project page")
    public.context.close()
