"""A coordinator rewrites the reminder at 320 px with the placeholder chips, previews it,
saves it, and the reminder arrives with a working link; axe on every state of the page."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from coordinator.extensions import db
from coordinator.models.types import utcnow
from coordinator.services.mail.sender import send_due_messages
from tests.e2e.axe import assert_accessible
from tests.e2e.page_walk import check_reflow
from tests.factories import (
    make_contact,
    make_invitation,
    make_organisation,
    make_survey,
    make_user,
)

pytestmark = pytest.mark.e2e


def test_edit_preview_and_send_a_reminder_in_own_words(live_app, page, e2e_smtp, log_in):
    survey = make_survey(deadline_at=utcnow() + timedelta(days=20))
    skane = make_organisation("Länsstyrelsen i Skåne", "12")
    make_invitation(survey, make_contact(skane, name="Karin Berg", email="karin@example.org"))
    pia = make_user("coordinator", email="pia@example.org", name="Pia Projektledare")
    survey.project.members.append(pia)
    db.session.commit()
    # Read before the served app writes: this thread must hold no transaction then.
    survey_id, title = survey.id, survey.title
    db.session.rollback()

    page.set_viewport_size({"width": 320, "height": 800})
    log_in("pia@example.org")
    page.goto(f"/surveys/{survey_id}")
    page.get_by_role("link", name="E-posttexter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-posttexter")
    assert_accessible(page, "mail texts at 320 px")
    page.get_by_role("link", name=re.compile(r"Ändra texten\s*: Påminnelse")).click()
    assert_accessible(page, "reminder editor at 320 px")
    assert check_reflow(page, 320) == "ok"

    body = page.get_by_label("Text", exact=True)
    body.fill("Hej!")
    page.get_by_role("button", name="Spara texten").click()
    expect(page.locator(".error-summary")).to_contain_text("{länk}")
    assert_accessible(page, "reminder editor with an error")

    # The chips put the placeholder where the cursor is.
    body.fill("Hej ")
    chip = page.get_by_role("button", name="{namn}")
    expect(chip).to_have_accessible_description("mottagarens namn")
    chip.click()
    body.press("End")
    body.type("! Svara senast ")
    page.get_by_role("button", name="{sista_dag}").click()
    body.type(":\n")
    page.get_by_role("button", name="{länk}").click()
    expect(body).to_have_value("Hej {namn}! Svara senast {sista_dag}:\n{länk}")
    page.get_by_label("Ämne").fill("Glöm inte {enkät}")
    page.get_by_role("button", name="Förhandsgranska").click()
    preview = page.locator(".mail-preview")
    expect(preview).to_contain_text("Hej Karin Berg! Svara senast")
    expect(preview).to_contain_text(f"Glöm inte {title}")
    assert_accessible(page, "reminder preview at 320 px")
    assert check_reflow(page, 320) == "ok"

    page.get_by_role("button", name="Spara texten").click()
    expect(page.locator(".flash")).to_contain_text("Texten är sparad")
    expect(page.locator("main")).to_contain_text("Egen text")

    page.goto(f"/surveys/{survey_id}/reminders")
    page.get_by_role("button", name="Skicka påminnelser").click()
    expect(page.locator(".flash")).to_contain_text("1 påminnelser")
    send_due_messages(utcnow())
    db.session.commit()
    [sent] = e2e_smtp.messages
    assert sent["Subject"] == f"Glöm inte {title}"
    text = sent.get_body(("plain",)).get_content()
    link = re.search(r"http://127\.0\.0\.1:\d+/r/\S+|http://localhost/r/\S+", text)[0]
    page.get_by_role("button", name="Logga ut").click()
    page.goto(re.sub(r"^http://[^/]+", "", link))
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
