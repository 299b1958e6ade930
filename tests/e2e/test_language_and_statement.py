"""In a browser: the English interface marks Swedish content (and speaks English while
saving by itself), the accessibility statement is one keypress from any page's footer,
and the notes' revision difference is readable at 320 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coordinator.extensions import db
from coordinator.models import NoteRevision
from tests.e2e.axe import assert_accessible
from tests.e2e.page_walk import OVERFLOW_JS
from tests.factories import make_invitation, make_meeting, make_project, make_survey, make_user

pytestmark = pytest.mark.e2e


def test_english_interface_marks_the_swedish_survey(live_app, page):
    survey = make_survey()
    _, token = make_invitation(survey)
    first, comment = survey.questions[0], f"#q{survey.questions[2].id}_text"
    first_id, first_text = first.id, first.text
    db.session.commit()  # and touch no row after it: the served app needs to write
    page.goto(f"/r/{token}")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_attribute("lang", "sv")
    expect(page.locator(f"#question-{first_id} legend span[lang=sv]")).to_have_text(first_text)
    expect(page.get_by_role("button", name="Continue to submit")).not_to_have_attribute(
        "lang", re.compile(".")
    )
    assert_accessible(page, "answer form, English interface")
    page.locator(comment).fill("Samverkan i länet.")
    expect(page.locator(".autosave-status")).to_have_text(
        re.compile(r"^Saved \d\d:\d\d$"), timeout=10_000
    )


def test_the_statement_is_one_keypress_from_a_respondents_footer(live_app, page):
    survey = make_survey()
    _, token = make_invitation(survey)
    db.session.commit()
    page.goto(f"/r/{token}")
    page.locator("footer").get_by_role("link", name="Tillgänglighetsredogörelse").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Tillgänglighetsredogörelse")
    expect(page.get_by_role("heading", name="Tillsyn")).to_be_visible()
    expect(
        page.get_by_role("link", name="Anmäl bristande tillgänglighet till Digg")
    ).to_be_visible()
    assert_accessible(page, "accessibility statement")


def test_the_notes_difference_is_a_table_of_whole_words(live_app, page, log_in):
    user = make_user("coordinator", email="samordnare@example.org")
    project = make_project()
    project.members = [user]
    meeting, _ = make_meeting(project, user, notes="Deltagare: alla\nBeslut: Enkät skickas 2/7.")
    meeting.revisions.append(
        NoteRevision(
            text="Deltagare: alla\nBeslut: Miljömålssamordnarnätverksrepresentanterna "
            "skickar enkäten 3/7.",
            published=True,
            author_id=user.id,
        )
    )
    db.session.commit()
    log_in("samordnare@example.org")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/meetings/{meeting.id}/notes/history")
    table = page.locator("table.diff")
    expect(table.locator("caption")).to_contain_text("Skillnader mellan version")
    assert table.locator("thead th[scope=col]").count() == 2
    assert table.locator("del").all_text_contents() == ["Borttaget: Enkät skickas 2/7."]
    added = table.locator("ins").all_text_contents()
    assert added == ["Tillagt: Miljömålssamordnarnätverksrepresentanterna skickar enkäten 3/7."]
    assert page.locator("table.diff a").count() == 0, "no navigation links"
    long_word = table.locator("ins span:not(.visually-hidden)")
    assert (
        long_word.evaluate(
            """el => {
            const range = document.createRange();
            const text = el.firstChild;
            const start = text.data.indexOf('Miljö');
            range.setStart(text, start);
            range.setEnd(text, text.data.indexOf(' ', start));
            return range.getClientRects().length;
        }"""
        )
        == 1
    ), "the long word stays whole"
    found = page.evaluate(OVERFLOW_JS)
    assert found["scrollWidth"] <= found["width"] and not found["problems"], found
    assert_accessible(page, "notes difference at 320 px")
