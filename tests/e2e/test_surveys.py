"""A survey from the RUS template to the dashboard, in Chromium with axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from coordinator.extensions import db
from coordinator.models.types import utcnow
from coordinator.services.mail.sender import send_due_messages
from coordinator.services.register.seed import seed_reference_data
from tests.e2e.axe import assert_accessible
from tests.factories import (
    make_contact,
    make_network,
    make_organisation,
    make_survey,
    make_user,
)

pytestmark = pytest.mark.e2e


def test_build_invite_answer_and_follow_up(live_app, browser, page, e2e_smtp, live_server, log_in):
    seed_reference_data()
    db.session.commit()
    from sqlalchemy import select

    from coordinator.models import Organisation

    skane = db.session.scalar(select(Organisation).where(Organisation.county_code == "12"))
    karin = make_contact(skane, name="Karin Berg", email="karin.berg@example.org")
    make_network("Miljömålssamordnare test", [karin])
    make_user("coordinator", email="pia@example.org", name="Pia Projektledare")
    db.session.commit()

    log_in("pia@example.org")
    page.get_by_role("link", name="Enkäter").click()
    assert_accessible(page, "survey list")
    page.get_by_role("link", name="Ny enkät").click()
    page.get_by_role("button", name="Skapa utkast").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, "new survey with errors")
    page.get_by_label("Projekt").fill("Näringsliv och miljömål")
    page.get_by_label("Svara senast, datum").fill("2031-08-23")
    page.get_by_label("Svara senast, klockan").fill("23:59")
    page.get_by_role("button", name="Skapa utkast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Näringslivets arbete med miljömålen och Agenda 2030"
    )
    assert_accessible(page, "survey page")
    page.get_by_role("link", name="Förhandsgranska").click()
    expect(page.locator("main")).to_contain_text("Den 29 augusti kommer projektgruppen")
    assert_accessible(page, "preview")
    page.go_back()
    page.get_by_role("button", name="Öppna för svar").click()
    expect(page.locator(".flash")).to_contain_text("öppen för svar")
    page.get_by_role("link", name="Mottagare").click()
    page.get_by_label(re.compile("Miljömålssamordnare test")).check()
    page.get_by_role("button", name="Visa mottagare och e-post").click()
    expect(page.locator("main")).to_contain_text("karin.berg@example.org")
    assert_accessible(page, "recipients preview")
    page.get_by_role("button", name="Skicka 1 inbjudningar").click()
    expect(page.locator(".flash")).to_contain_text("1 inbjudningar")
    assert_accessible(page, "dashboard")

    send_due_messages(utcnow())
    mail = e2e_smtp.to("karin.berg@example.org")[0]
    link = re.search(r"http://\S+/r/\S+", mail.get_body(("plain",)).get_content()).group(0)

    respondent = browser.new_context(base_url=live_server.url)
    answer = respondent.new_page()
    answer.goto(link)
    assert_accessible(answer, "answer form")
    answer.get_by_role("group", name=re.compile("^1\\.")).get_by_label("Ja").check()
    answer.get_by_role("button", name="Fortsätt till att skicka in").click()
    summary = answer.locator(".error-summary")
    expect(summary).to_contain_text("Svara ja eller nej på fråga 2a")
    assert_accessible(answer, "answer form with errors")
    summary.get_by_role("link", name="Svara ja eller nej på fråga 2a").click()
    answer.keyboard.press("Space")  # the link moved focus to the first radio of 2a
    answer.get_by_role("button", name="Spara utkast").click()
    expect(answer.locator(".flash")).to_contain_text("Utkastet är sparat")
    respondent.close()

    again = browser.new_context(base_url=live_server.url)
    answer = again.new_page()
    answer.goto(link)
    expect(
        answer.get_by_role("group", name=re.compile("^2a\\.")).get_by_label("Ja")
    ).to_be_checked()
    for number in ("2b",):
        answer.get_by_role("group", name=re.compile(f"^{number}\\.")).get_by_label("Nej").check()
    answer.get_by_role("group", name=re.compile("^2c\\.")).get_by_role("textbox").fill(
        "- Klimatsamverkan med kommunerna"
    )
    answer.get_by_label("C Tillverkning").check()
    answer.get_by_role("group", name=re.compile("^3\\.")).get_by_role("textbox").fill(
        "Stöd i dialogen med branschorganisationer"
    )
    answer.get_by_role("button", name="Fortsätt till att skicka in").click()
    expect(answer.get_by_role("heading", level=1)).to_have_text("Kontrollera dina svar")
    assert_accessible(answer, "check answers")
    answer.get_by_label("Detta är länsstyrelsens samordnade svar").check()
    answer.get_by_role("button", name="Skicka in svaren").click()
    expect(answer.get_by_role("heading", level=1)).to_have_text("Tack för ditt svar")
    assert_accessible(answer, "done")
    again.close()

    send_due_messages(utcnow())
    receipt = [
        m for m in e2e_smtp.to("karin.berg@example.org") if str(m["Subject"]).startswith("Kvitto")
    ]
    assert receipt and "Klimatsamverkan" in receipt[0].get_body(("plain",)).get_content()
    page.reload()
    expect(page.locator("main")).to_contain_text("1 av 21 länsstyrelser har svarat")
    page.get_by_role("link", name="12 Länsstyrelsen Skåne").click()
    expect(page.locator("main")).to_contain_text("Stöd i dialogen med branschorganisationer")
    assert_accessible(page, "organisation responses")


def test_staff_pages_for_registering_and_editing(live_app, page, log_in):
    survey = make_survey(state="open", deadline_at=utcnow().replace(year=2031))
    org = make_organisation("Länsstyrelsen Gotland", "09")
    survey.project.members.append(make_user("coordinator", email="pia@example.org"))
    ids = (survey.id, org.id, survey.questions[0].id)
    db.session.commit()
    log_in("pia@example.org")
    page.goto(f"/surveys/{ids[0]}/organisations/{ids[1]}")
    assert_accessible(page, "organisation page")
    page.get_by_role("link", name="Registrera svar som kom via e-post").click()
    page.get_by_role("button", name="Registrera svaret").click()
    expect(page.locator(".error-summary")).to_contain_text("Ange vem som svarade")
    assert_accessible(page, "register answer with errors")
    page.goto(f"/surveys/{ids[0]}/questions/{ids[2]}/edit")
    assert_accessible(page, "edit question")
    page.goto(f"/surveys/{ids[0]}/questions/new")
    expect(page.locator(".flash")).to_contain_text("utkast")


def test_a_deadline_in_the_clock_changes_is_never_guessed(live_app, page, log_in):
    survey = make_survey(state="draft")
    survey_id = survey.id
    pia = make_user("coordinator", email="pia@example.org", name="Pia Projektledare")
    survey.project.members.append(pia)
    db.session.commit()  # and read nothing more here, so the served app can write
    log_in("pia@example.org")
    page.goto(f"/surveys/{survey_id}/settings")
    page.get_by_label("Svara senast, datum").fill("2026-03-29")
    page.get_by_label("Svara senast, klockan").fill("02:30")
    page.get_by_role("button", name="Spara").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Klockan 02:30 finns inte den 29 mars 2026")
    expect(summary).to_contain_text("Välj 01:59 eller 03:00")
    assert_accessible(page, "settings with a time in the skipped hour")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Svara senast, klockan")).to_be_focused()

    page.get_by_label("Svara senast, datum").fill("2026-10-25")
    page.get_by_role("button", name="Spara").click()
    expect(summary).to_contain_text("finns två gånger den 25 oktober 2026")
    choice = page.get_by_role("group", name="Vilken av de två tiderna menar du?")
    assert_accessible(page, "settings with a time that happens twice")
    choice.get_by_label("Den andra, normaltid (UTC+1)").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".flash")).to_contain_text("inställningar är sparade")
    expect(page.locator("main")).to_contain_text("söndag 25 oktober 2026 02:30 (normaltid)")


def test_the_survey_page_numbers_each_question_once(live_app, page, log_in):
    survey = make_survey(state="draft")
    survey_id = survey.id
    pia = make_user("coordinator", email="pia@example.org", name="Pia Projektledare")
    survey.project.members.append(pia)
    db.session.commit()
    log_in("pia@example.org")
    page.goto(f"/surveys/{survey_id}")
    items = page.locator(".question-list li")
    expect(items).to_have_count(5)
    markers = items.evaluate_all("els => els.map(el => getComputedStyle(el).listStyleType)")
    assert markers == ["none"] * 5
    expect(items.nth(2)).to_contain_text(re.compile(r"^\s*2a\. Delge exempel\."))


LEFT_TO_RIGHT = """(label) => {
  // Where each character of the text after the name is drawn: left to right, or not.
  const node = [...label.childNodes].find(
    n => n.nodeType === 3 && n.textContent.includes("payload"));
  const start = node.textContent.indexOf("payload");
  const x = i => {
    const range = document.createRange();
    range.setStart(node, start + i);
    range.setEnd(node, start + i + 1);
    return range.getBoundingClientRect().left;
  };
  return [0, 1, 2, 3, 4, 5, 6].map(x);
}"""


def test_a_right_to_left_override_in_a_name_reverses_nothing_after_it(live_app, page, log_in):
    from coordinator.services.surveys.invitations import invite

    survey = make_survey(deadline_at=utcnow().replace(year=2031))
    gotland = make_organisation("Länsstyrelsen i Gotlands län", "09")
    contact = make_contact(gotland, name="Göran \u202enäl sdnaltoG", email="payload@test.example")
    invite(survey, [contact], None, utcnow())
    survey_id = survey.id
    pia = make_user("coordinator", email="pia@example.org", name="Pia Projektledare")
    survey.project.members.append(pia)
    db.session.commit()
    log_in("pia@example.org")
    page.goto(f"/surveys/{survey_id}/reminders")
    label = page.locator("label", has_text="payload@test.example")
    expect(label).to_have_count(1)
    positions = label.evaluate(LEFT_TO_RIGHT)
    assert positions == sorted(positions) and len(set(positions)) == 7, positions
    assert_accessible(page, "reminders with a right-to-left override in a name")
