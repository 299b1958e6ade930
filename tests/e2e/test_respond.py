"""Answering through a personal link in Chromium, with axe on every respondent page."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Invitation, OutboxMessage, Response
from coordinator.models.types import utcnow
from tests.e2e.axe import assert_accessible
from tests.factories import make_contact, make_invitation, make_organisation, make_survey

pytestmark = pytest.mark.e2e


def _answer_survey(live_app, **kwargs):
    survey = make_survey(deadline_at=utcnow().replace(year=2031), **kwargs)
    invitation, token = make_invitation(
        survey,
        make_contact(make_organisation("Länsstyrelsen Dalarna", "20", mail_domains="example.org")),
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
    # The link moves the focus to the field; type only once it is there.
    expect(page.locator(f"#q{q['2a']}_text")).to_be_focused()
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


def test_autosave_says_so_when_it_cannot_store_an_over_long_text(live_app, browser, live_server):
    q, token = _answer_survey(live_app)
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(f"/r/{token}")
    box = group(page, "4").get_by_role("textbox")
    count = page.locator(f"#q{q['4']}_text-count")
    status = page.locator(".autosave-status")
    error = page.locator(f"#q{q['4']}_text-error")
    expect(count).to_have_text("0 av högst 20 000 tecken")
    box.fill("x" * 40_000)
    expect(count).to_contain_text("För lång text: 40 000 av högst 20 000 tecken")
    expect(status).to_contain_text("för lång: 40 000 av högst 20 000 tecken. Den är inte sparad")
    expect(status).not_to_contain_text("Sparat")
    expect(error).to_contain_text("Den är inte sparad")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_attribute("aria-describedby", re.compile(f"q{q['4']}_text-error"))
    assert_accessible(page, "answer form with an over-long text")
    box.fill("Kortare nu.")
    expect(status).to_contain_text(re.compile(r"Sparat \d\d:\d\d"))
    expect(error).to_have_count(0)
    expect(box).not_to_have_attribute("aria-invalid", "true")
    box.fill("y" * 20_001)
    expect(status).to_contain_text("20 001 av högst 20 000 tecken. Den är inte sparad")
    page.reload()
    expect(group(page, "4").get_by_role("textbox")).to_have_value("Kortare nu.")
    context.close()


def test_changes_after_submitting_are_a_draft_until_submitted(live_app, browser, live_server):
    q, token = _answer_survey(live_app)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/r/{token}")
    group(page, "1").get_by_label("Ja").check()
    group(page, "1").get_by_role("textbox").fill("Vi har ett klimatråd.")
    group(page, "2a").get_by_role("textbox").fill("- Energikartläggning")
    page.get_by_role("button", name="Fortsätt till att skicka in").click()
    page.get_by_role("button", name="Skicka in svaren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för ditt svar")

    page.goto(f"/r/{token}")
    expect(page.locator("#changes-notice")).to_be_hidden()
    group(page, "1").get_by_role("textbox").fill("")
    group(page, "2a").get_by_role("textbox").fill("")
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.locator(".flashes")).to_contain_text("Ändringarna är sparade", ignore_case=False)
    expect(page.locator(".flashes")).to_contain_text("men inte inskickade")
    expect(page.locator("#changes-notice")).to_contain_text(
        "Du har ändringar som inte är inskickade"
    )
    expect(group(page, "2a").get_by_role("textbox")).to_have_value("")
    response = db.session.scalar(select(Response))
    assert response.submitted and not response.late
    assert {a.text for a in response.answers} == {"Vi har ett klimatråd.", "- Energikartläggning"}
    db.session.rollback()

    page.get_by_role("button", name="Fortsätt till att skicka in").click()
    expect(page.locator(".error-summary")).to_contain_text("Svara på fråga 2a")
    group(page, "2a").get_by_role("textbox").fill("- Klimatklivet")
    page.get_by_role("button", name="Fortsätt till att skicka in").click()
    expect(page.locator("main")).to_contain_text("Det här är dina ändrade svar")
    page.get_by_role("button", name="Skicka in ändringarna").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för ditt svar")
    response = db.session.scalar(select(Response))
    assert {a.text for a in response.answers} == {"", "- Klimatklivet"}
    assert not response.has_changes
    db.session.rollback()
    context.close()

    # With JavaScript: autosave of a change says it is not submitted, and axe is clean.
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(f"/r/{token}")
    group(page, "4").get_by_role("textbox").fill("Ett tillägg")
    expect(page.locator(".autosave-status")).to_contain_text("sparade", ignore_case=True)
    expect(page.locator(".autosave-status")).to_contain_text("inte inskickade")
    expect(page.locator("#changes-notice")).to_be_visible()
    assert_accessible(page, "answer form with a draft of changes")
    page.reload()
    expect(page.locator("#changes-notice")).to_contain_text(
        "Du har ändringar som inte är inskickade"
    )
    page.get_by_role("button", name="Ta bort ändringarna").click()
    expect(page.locator(".flashes")).to_contain_text("Ändringarna är borttagna")
    expect(group(page, "4").get_by_role("textbox")).to_have_value("")
    context.close()


def test_a_person_in_the_form_counts_as_opened(live_app, browser, live_server):
    q, token = _answer_survey(live_app)
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(f"/r/{token}")
    invitation = db.session.scalar(select(Invitation))
    assert invitation.opened_at is None
    db.session.rollback()
    tab_to(page, f"#q{q['1']}_choice-0")
    for _ in range(50):
        page.wait_for_timeout(100)
        opened = db.session.scalar(select(Invitation.opened_at))
        db.session.rollback()
        if opened is not None:
            break
    assert opened is not None
    assert db.session.scalar(select(Response)) is None
    db.session.rollback()
    context.close()
