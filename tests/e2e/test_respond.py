"""Answering through a personal link in Chromium, with axe on every respondent page."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import OutboxMessage
from coordinator.models.types import utcnow
from tests.e2e.axe import assert_accessible
from tests.factories import make_contact, make_invitation, make_organisation, make_survey

pytestmark = pytest.mark.e2e


def _answer_survey(live_app, **kwargs):
    survey = make_survey(deadline_at=utcnow().replace(year=2031), **kwargs)
    invitation, token = make_invitation(
        survey, make_contact(make_organisation("Länsstyrelsen Dalarna", "20"))
    )
    numbers = {q.number: q.id for q in survey.questions}
    # Commit and read nothing more here: a read outside a request would open a write
    # transaction (BEGIN IMMEDIATE) and keep the served app waiting.
    db.session.commit()
    return numbers, token


def tab_to(page, selector, limit=40):
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def group(page, number):
    return page.get_by_role("group", name=re.compile(f"^{re.escape(number)}\\."))


def test_mistake_draft_new_browser_submit_and_receipt(live_app, browser, live_server):
    _, token = _answer_survey(live_app)
    first = browser.new_context(base_url=live_server.url)
    page = first.new_page()
    page.goto(f"/r/{token}")
    expect(page.locator(".deadline")).to_contain_text("Svara senast")
    group(page, "1").get_by_label("Nej").check()
    group(page, "1").get_by_role("textbox").fill("Inte ännu, men ett klimatråd planeras.")
    page.get_by_role("button", name="Fortsätt till att skicka in").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Svara på fråga 2a")
    assert_accessible(page, "answer form with errors")
    summary.get_by_role("link", name="Svara på fråga 2a").click()
    expect(group(page, "2a").get_by_role("textbox")).to_be_focused()
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.locator(".flash")).to_contain_text("Utkastet är sparat")
    first.close()

    second = browser.new_context(base_url=live_server.url)
    page = second.new_page()
    page.goto(f"/r/{token}")
    expect(group(page, "1").get_by_label("Nej")).to_be_checked()
    expect(group(page, "1").get_by_role("textbox")).to_have_value(
        "Inte ännu, men ett klimatråd planeras."
    )
    group(page, "2a").get_by_role("textbox").fill("- Energikartläggning i små företag")
    page.get_by_role("button", name="Fortsätt till att skicka in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontrollera dina svar")
    expect(page.locator("main")).to_contain_text("Energikartläggning i små företag")
    assert_accessible(page, "check answers")
    page.get_by_role("button", name="Skicka in svaren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för ditt svar")
    assert_accessible(page, "done")
    second.close()
    receipt = db.session.scalar(select(OutboxMessage).where(OutboxMessage.cause_type == "receipt"))
    assert "Energikartläggning i små företag" in receipt.text_body
    db.session.rollback()  # end the read so the served app can write again


def test_answering_with_the_keyboard_alone_and_without_javascript(live_app, browser, live_server):
    # No axe here: it needs JavaScript in the page. The same pages are checked above.
    q, token = _answer_survey(live_app)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/r/{token}")
    tab_to(page, f"#q{q['1']}_choice-0")
    page.keyboard.press("Space")
    tab_to(page, f"#q{q['1']}_text")
    page.keyboard.type("Vi har en dialog")
    tab_to(page, "button[value=review]")
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_contain_text("Svara på fråga 2a")
    tab_to(page, ".error-summary a")
    page.keyboard.press("Enter")
    page.keyboard.type("- Energikartläggning")
    tab_to(page, "button[value=save]")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Utkastet är sparat")
    tab_to(page, "button[value=review]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontrollera dina svar")
    tab_to(page, "#coordinated")
    page.keyboard.press("Space")
    tab_to(page, "form[action$=submit] button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för ditt svar")
    context.close()


def test_autosave_and_the_two_tab_conflict(live_app, browser, live_server):
    _, token = _answer_survey(live_app)
    context = browser.new_context(base_url=live_server.url)
    first, second = context.new_page(), context.new_page()
    first.goto(f"/r/{token}")
    second.goto(f"/r/{token}")
    assert_accessible(first, "answer form")
    group(first, "4").get_by_role("textbox").fill("Från första fliken")
    expect(first.locator(".autosave-status")).to_contain_text(
        re.compile(r"Sparat \d\d:\d\d"), timeout=10_000
    )
    first.reload()
    expect(group(first, "4").get_by_role("textbox")).to_have_value("Från första fliken")
    group(second, "4").get_by_role("textbox").fill("Från andra fliken")
    expect(second.locator(".autosave-status")).to_contain_text(
        "ändrats i ett annat fönster", timeout=10_000
    )
    second.get_by_role("button", name="Spara utkast").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("Svaren har ändrats på annat håll")
    expect(second.locator("main")).to_contain_text("Från första fliken")
    expect(second.locator("main")).to_contain_text("Från andra fliken")
    assert_accessible(second, "conflict page")
    second.get_by_role("button", name="Behåll det jag skrev nu").click()
    expect(group(second, "4").get_by_role("textbox")).to_have_value("Från andra fliken")
    first.reload()
    expect(group(first, "4").get_by_role("textbox")).to_have_value("Från andra fliken")
    context.close()


def test_pass_on_page(live_app, browser, live_server):
    _, token = _answer_survey(live_app)
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(f"/r/{token}")
    page.get_by_role("link", name="Skicka enkäten vidare").click()
    assert_accessible(page, "pass on")
    page.get_by_role("button", name="Skicka länk till kollegan").click()
    expect(page.locator(".error-summary")).to_contain_text("Ange kollegans namn")
    assert_accessible(page, "pass on with errors")
    page.get_by_label("Kollegans namn").fill("Olle Ek")
    page.get_by_label("Kollegans e-postadress").fill("olle.ek@example.org")
    page.get_by_role("button", name="Skicka länk till kollegan").click()
    expect(page.locator(".flash")).to_contain_text("Olle Ek får en egen länk")
    context.close()


def test_a_closed_survey_shows_the_answers_read_only(live_app, browser, live_server):
    past = utcnow() - timedelta(days=1)
    _, token = _answer_survey(live_app, closes_at=past)
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(f"/r/{token}")
    expect(page.locator("main")).to_contain_text("Enkäten är stängd")
    expect(page.get_by_role("button", name="Spara utkast")).to_have_count(0)
    expect(group(page, "4").get_by_role("textbox")).not_to_be_editable()
    assert_accessible(page, "closed survey")
    context.close()
