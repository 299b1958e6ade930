"""The admin-only pages in a browser, checked with axe."""

import pytest

from coordinator.extensions import db
from tests.e2e.axe import assert_accessible
from tests.factories import make_contact, make_organisation, make_user

pytestmark = pytest.mark.e2e


def test_personal_data_search_and_erase(live_app, page, log_in):
    make_user("admin", email="admin@example.org")
    make_contact(
        make_organisation("Länsstyrelsen Skåne", "12"),
        name="Karin Berg",
        email="karin.berg@example.org",
    )
    db.session.commit()
    log_in("admin@example.org")
    page.get_by_role("link", name="Personuppgifter").click()
    assert_accessible(page, "personal data search")
    page.get_by_label("E-postadress").fill("karin.berg@example.org")
    page.locator("main").get_by_role("button", name="Sök").click()
    assert "Karin Berg" in page.locator("main").inner_text()
    assert_accessible(page, "personal data found")
    page.get_by_role("button", name="Radera personuppgifterna").click()
    assert (
        "Bekräfta att personuppgifterna ska raderas" in page.locator(".error-summary").inner_text()
    )
    assert_accessible(page, "erase without confirmation")
    page.get_by_label("Jag förstår").check()
    page.get_by_role("button", name="Radera personuppgifterna").click()
    assert "Personuppgifterna är raderade" in page.locator(".flash").inner_text()
