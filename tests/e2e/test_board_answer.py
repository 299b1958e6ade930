"""Two colleagues of one board build the board's answer in two browsers, meet a conflict
on one question, and a coordinator submits it as the board's coordinated answer."""

import re

import pytest
from playwright.sync_api import expect

from coordinator.extensions import db
from coordinator.models.types import utcnow
from tests.e2e.axe import assert_accessible
from tests.factories import make_contact, make_invitation, make_organisation, make_survey, make_user

pytestmark = pytest.mark.e2e


def group(page, number):
    return page.get_by_role("group", name=re.compile(f"^{re.escape(number)}\\."))


def test_two_colleagues_one_board_answer_with_a_conflict(
    live_app, browser, live_server, page, log_in
):
    survey = make_survey(deadline_at=utcnow().replace(year=2031))
    board = make_organisation("Länsstyrelsen Dalarna", "20")
    _, anna = make_invitation(survey, make_contact(board, name="Anna Andersson"))
    _, bo = make_invitation(survey, make_contact(board, name="Bo Berg"))
    pia = make_user("coordinator", email="pia@example.org", name="Pia Projektledare")
    survey.project.members.append(pia)  # a survey is changed by its project's members
    survey_id, board_id = survey.id, board.id
    db.session.commit()

    annas = browser.new_context(base_url=live_server.url).new_page()
    bos = browser.new_context(base_url=live_server.url).new_page()
    annas.goto(f"/r/{anna}")
    annas.get_by_role("link", name="Öppna det gemensamma svaret").click()
    expect(annas.get_by_role("heading", name="Länsstyrelsens gemensamma svar")).to_be_visible()
    assert_accessible(annas, "board answer form")
    bos.goto(f"/r/{bo}/board")

    # Both edit question 2a; Anna also answers 1, Bo also answers 4.
    group(annas, "1").get_by_label("Ja").check()
    group(annas, "1").get_by_role("textbox").fill("Klimatrådet i Dalarna.")
    group(annas, "2a").get_by_role("textbox").fill("Annas exempel: energikartläggning.")
    annas.get_by_role("button", name="Spara utkast").click()
    expect(annas.locator(".flash-success")).to_contain_text("Det gemensamma svaret är sparat")

    group(bos, "2a").get_by_role("textbox").fill("Bos exempel: Klimatklivet.")
    group(bos, "4").get_by_role("textbox").fill("Vi deltar i LeadIT.")
    bos.get_by_role("button", name="Spara utkast").click()
    expect(bos.get_by_role("heading", name="Svaren har ändrats på annat håll")).to_be_visible()
    table = bos.get_by_role("table")
    expect(table).to_contain_text("Bos exempel: Klimatklivet.")
    expect(table).to_contain_text("Annas exempel: energikartläggning.")
    expect(table).to_contain_text("Sparat av Anna Andersson")
    expect(table).not_to_contain_text("LeadIT")  # question 4 did not conflict: it is saved
    assert_accessible(bos, "board answer conflict")
    bos.get_by_role("link", name="Behåll det som är sparat").click()

    # Bo sees both colleagues' answers, each with its writer.
    expect(group(bos, "2a").get_by_role("textbox")).to_have_value(
        "Annas exempel: energikartläggning."
    )
    expect(group(bos, "2a")).to_contain_text("Senast ändrat av Anna Andersson")
    expect(group(bos, "4").get_by_role("textbox")).to_have_value("Vi deltar i LeadIT.")
    expect(group(bos, "4")).to_contain_text("Senast ändrat av Bo Berg")
    expect(group(bos, "1").get_by_label("Ja")).to_be_checked()

    # The page saves by itself, again and again, without taking its own saves for a
    # colleague's.
    box = group(bos, "4").get_by_role("textbox")
    for text in (
        "Vi deltar i LeadIT.\nOch i Klimatklivet.",
        "Vi deltar i LeadIT och Klimatklivet.",
    ):
        with bos.expect_response(
            lambda r: r.url.endswith("/board") and r.request.method == "POST", timeout=15000
        ) as saved:
            box.fill(text)
        assert saved.value.status == 200
    expect(bos.locator(".autosave-status")).to_contain_text("Sparat")
    bos.reload()
    expect(group(bos, "4").get_by_role("textbox")).to_have_value(
        "Vi deltar i LeadIT och Klimatklivet."
    )

    # A coordinator submits it on the board's behalf as the coordinated answer.
    log_in("pia@example.org")
    page.goto(f"/surveys/{survey_id}/organisations/{board_id}")
    expect(page.get_by_role("heading", name=re.compile("^Gemensamt svar"))).to_be_visible()
    assert_accessible(page, "organisation responses with a board answer")
    page.get_by_role("button", name="Skicka in som samordnat svar").click()
    expect(page.locator(".flash-success")).to_contain_text("inskickat som samordnat svar")
    expect(page.get_by_role("heading", name=re.compile("samordnat svar$"))).to_be_visible()
    page.goto(f"/surveys/{survey_id}/dashboard")
    row = page.get_by_role("row", name=re.compile("Länsstyrelsen Dalarna"))
    expect(row).to_contain_text("Inskickat")
    assert_accessible(page, "dashboard")

    annas.goto(f"/r/{anna}/board")
    expect(annas.locator(".flash-success").first).to_contain_text(
        "Det är länsstyrelsens samordnade svar."
    )
    annas.context.close()
    bos.context.close()
