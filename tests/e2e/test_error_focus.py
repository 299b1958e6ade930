"""Errors are announced: after an invalid submit the page opens with focus on the error
summary, and each link in the summary moves focus to its field (for a choice group, its
first option), by keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coordinator.extensions import db
from tests.e2e.axe import assert_accessible
from tests.factories import make_invitation, make_survey, make_user

pytestmark = pytest.mark.e2e


def focused_id(page) -> str:
    return str(page.evaluate("document.activeElement.id"))


def follow_every_summary_link(page) -> list[tuple[str, str]]:
    """Tab from the summary heading to each link, press Enter; (target, focused) pairs."""
    expect(page.locator("#error-summary-title")).to_be_focused()
    links = page.locator(".error-summary-list a")
    pairs = []
    for index in range(links.count()):
        if index == 0:
            page.keyboard.press("Tab")  # from the focused heading to the first link
        else:
            links.nth(index).focus()
        target = links.nth(index).get_attribute("href").split("#", 1)[1]
        page.keyboard.press("Enter")
        pairs.append((target, focused_id(page)))
    return pairs


def test_staff_form_focus_goes_to_summary_then_to_each_field(live_app, page, log_in):
    make_user("coordinator", email="samordnare@example.org")
    db.session.commit()
    log_in("samordnare@example.org")
    page.goto("/contacts/new")
    page.get_by_role("button", name="Spara").click()
    pairs = follow_every_summary_link(page)
    assert len(pairs) >= 2
    assert all(target == focused for target, focused in pairs), pairs
    assert_accessible(page, "contact form with errors")


def test_respondent_choice_group_is_invalid_and_its_link_reaches_the_first_option(live_app, page):
    survey = make_survey()
    _, token = make_invitation(survey)
    db.session.commit()
    page.goto(f"/r/{token}")
    page.get_by_role("button", name="Fortsätt till att skicka in").click()
    pairs = follow_every_summary_link(page)
    choice = survey.questions[0]
    assert (f"q{choice.id}_choice-0", f"q{choice.id}_choice-0") in pairs
    assert all(target == focused for target, focused in pairs), pairs
    group = page.locator(f"#question-{choice.id}")
    assert group.get_attribute("aria-invalid") == "true"
    described = group.get_attribute("aria-describedby").split()
    assert f"q{choice.id}_choice-error" in described
    assert page.locator(f"#q{choice.id}_choice-error").inner_text().strip()
    assert_accessible(page, "answer form with errors")
