"""The smaller points of an audit: the survey menu shows where you are, secondary buttons
have a visible edge, and headings written in notes are headings on the public page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coordinator.extensions import db
from tests.factories import make_meeting, make_project, make_survey, make_user

pytestmark = pytest.mark.e2e

CONTRAST_JS = """
([button, panel]) => {
  const rgb = (c) => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  // The edge is the border, or without one the button's own background.
  const style = getComputedStyle(button);
  const edge = parseFloat(style.borderTopWidth) >= 1 ? style.borderTopColor : style.backgroundColor;
  const back = getComputedStyle(panel).backgroundColor;
  const [a, b] = [lum(edge), lum(back)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


def test_survey_menu_marks_the_page_and_its_section(live_app, page, log_in):
    survey = make_survey()
    survey.project.members.append(make_user("coordinator", email="samordnare@example.org"))
    db.session.commit()
    log_in("samordnare@example.org")
    page.goto(f"/surveys/{survey.id}/dashboard")
    menu = page.get_by_role("navigation", name="Enkätens sidor")
    current = menu.get_by_role("link", name="Uppföljning")
    expect(current).to_have_attribute("aria-current", "page")
    other = menu.get_by_role("link", name="Resultat")
    expect(other).not_to_have_attribute("aria-current", "page")
    weight = current.evaluate("a => getComputedStyle(a).fontWeight")
    assert int(weight) >= 700 > int(other.evaluate("a => getComputedStyle(a).fontWeight"))
    page.goto(f"/surveys/{survey.id}/reminders")
    expect(menu.get_by_role("link", name="Uppföljning")).to_have_attribute("aria-current", "true")


def test_secondary_buttons_have_a_3_to_1_edge_on_grey_panels(live_app, page, log_in):
    survey = make_survey()
    survey.project.members.append(make_user("coordinator", email="samordnare@example.org"))
    db.session.commit()
    log_in("samordnare@example.org")
    page.goto(f"/surveys/{survey.id}/dashboard")
    button = page.locator(".filters .button-secondary").first
    panel = page.locator(".filters").first
    assert button.evaluate("b => b.getBoundingClientRect().width") > 0
    ratio = page.evaluate(CONTRAST_JS, [button.element_handle(), panel.element_handle()])
    assert ratio >= 3, ratio
    outside = page.locator("main .button-secondary:not(.filters *)").first
    on_white = page.evaluate(
        CONTRAST_JS, [outside.element_handle(), page.locator("body").element_handle()]
    )
    assert on_white >= 3, on_white


def test_headings_in_published_notes_are_headings(live_app, page):
    user = make_user("coordinator")
    project = make_project(slug="rus")
    project.visibility = "public"
    make_meeting(project, user, notes="## Dagordning\n\n1. Enkäten\n\n## Beslut\n\nVi kör.")
    db.session.commit()
    page.goto("/p/rus")
    notes = page.locator(".meeting-notes")
    expect(notes.get_by_role("heading", level=3)).to_have_count(1)  # the meeting
    expect(notes.get_by_role("heading", level=4)).to_have_text(["Dagordning", "Beslut"])
