"""The register in a browser: every staff page of the foundation checked with axe, a contact
added through the form after a mistake, and a small CSV imported."""

import pytest
from playwright.sync_api import expect

from coordinator.extensions import db
from tests.e2e.axe import assert_accessible
from tests.factories import make_contact, make_network, make_organisation, make_user

pytestmark = pytest.mark.e2e


def test_register_pages_add_contact_and_import(live_app, page, log_in):
    make_user("admin", email="admin@example.org", name="Anna Admin")
    skane = make_organisation("Länsstyrelsen Skåne", "12")
    karin = make_contact(skane, name="Karin Berg", email="karin.berg@example.org")
    make_network("Miljömålssamordnare", [karin])
    db.session.commit()
    log_in("admin@example.org")
    assert_accessible(page, "start page")

    page.locator("main").get_by_role("link", name="1 organisationer").click()
    expect(page.locator("h1")).to_have_text("Organisationer")
    assert_accessible(page, "organisations")
    page.get_by_role("link", name="Länsstyrelsen Skåne", exact=True).click()
    expect(page.locator("h1")).to_have_text("12 Länsstyrelsen Skåne")
    assert "Karin Berg" in page.locator("main table").inner_text()
    assert_accessible(page, "organisation")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Kontakter").click()
    assert_accessible(page, "contacts")
    page.get_by_role("link", name="Ny kontaktperson").click()
    assert_accessible(page, "new contact")
    page.get_by_label("Namn").fill("Olle Ek")
    page.get_by_label("E-postadress").fill("olle.ek@")
    page.get_by_label("Organisation").select_option(label="12 Länsstyrelsen Skåne")
    page.get_by_label("Titel eller funktion").fill("Energistrateg")
    page.get_by_label("Miljömålssamordnare").check()
    page.get_by_role("button", name="Spara").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Ange en e-postadress i rätt format")
    assert page.title().startswith("Fel: ")
    assert page.get_by_label("Namn").input_value() == "Olle Ek"
    assert_accessible(page, "new contact with errors")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "email"
    page.get_by_label("E-postadress").fill("olle.ek@example.org")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".flash-success")).to_contain_text("Olle Ek")
    page.get_by_role("link", name="Ändra kontaktpersonen").click()
    assert_accessible(page, "edit contact")
    page.get_by_role("link", name="Avbryt").click()
    page.get_by_role("link", name="Alla kontaktpersoner").click()
    expect(page.locator("main tbody")).to_contain_text("Olle Ek")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Nätverk").click()
    assert_accessible(page, "networks")
    page.get_by_role("link", name="Ändra Miljömålssamordnare").click()
    expect(page.locator("main table")).to_contain_text("Olle Ek")
    assert_accessible(page, "edit network")

    page.goto("/contacts")
    page.get_by_role("link", name="Importera från fil").click()
    assert_accessible(page, "import")
    csv = (
        "E-post;Namn;Organisation;Nätverk\n"
        "sara.lind@example.org;Sara Lind;12;Miljömålssamordnare\n"
        "trasig-adress;Fel;12;\n"
    ).encode("cp1252")
    page.get_by_label("Fil med kontaktpersoner").set_input_files(
        files=[{"name": "kontakter.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.locator("h1")).to_have_text("Förhandsgranska importen")
    expect(page.locator("main")).to_contain_text("Ogiltig e-postadress: trasig-adress")
    assert_accessible(page, "import preview")
    page.get_by_role("button", name="Importera 1 kontaktpersoner").click()
    expect(page.locator(".flash-success")).to_contain_text("1 nya")
    expect(page.locator("main tbody")).to_contain_text("Sara Lind")

    for url, name in [
        ("/admin/users", "users"),
        ("/admin/users/new", "new user"),
        ("/admin/audit", "audit log"),
    ]:
        page.goto(url)
        assert_accessible(page, name)
    assert "contact.import" in page.locator("main").inner_text()
