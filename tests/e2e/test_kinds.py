"""Every kind of question in Chromium, with JavaScript and without, at 320 px and wide:
answered, saved as a draft, reopened, submitted and read on the results page; a file
refused for its content; a follow-up question shown and hidden from the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from coordinator.extensions import db
from coordinator.models.types import utcnow
from tests.e2e.axe import assert_accessible
from tests.factories import (
    PDF,
    every_kind_questions,
    make_contact,
    make_invitation,
    make_organisation,
    make_survey,
    make_user,
)

pytestmark = pytest.mark.e2e


def _arrange(live_app):
    survey = make_survey(deadline_at=utcnow().replace(year=2031), questions=every_kind_questions())
    invitation, token = make_invitation(
        survey, make_contact(make_organisation("Länsstyrelsen Dalarna", "20"))
    )
    survey.project.members.append(make_user("coordinator", email="pia@example.org"))
    q = {x.number: x.id for x in survey.questions}
    survey_id = survey.id
    # Commit and read nothing more: a read here would hold the served app's writes back.
    db.session.commit()
    return survey_id, q, token


def group(page, number):
    return page.get_by_role("group", name=re.compile(f"^{re.escape(number)}\\."))


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _answer_every_kind(page, q, javascript):
    one = group(page, "1")
    if javascript:
        expect(group(page, "1a")).to_be_hidden()
    one.get_by_label("Ja", exact=True).check()
    one.get_by_role("textbox").fill("Strategin antogs i våras.")
    attach = group(page, "1a")
    expect(attach).to_be_visible()
    attach.locator("input[type=file]").set_input_files(
        files=[{"name": "strategi.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    attach.get_by_role("button", name="Ladda upp").click()
    expect(page.locator(".flash")).to_contain_text("Utkastet är sparat")
    expect(group(page, "1a").get_by_role("link", name="strategi.pdf")).to_be_visible()
    group(page, "2").get_by_role("textbox").fill("Miljömålssamordnaren")
    group(page, "3").get_by_role("textbox").fill("- Klimatråd\n- Energikartläggning")
    group(page, "4").get_by_label("Varje kvartal").check()
    group(page, "5").get_by_label("C Tillverkning").check()
    group(page, "6").get_by_role("textbox").fill("1 200,5")
    page.locator(f"#q{q['7']}_text").fill("2019-03-01")
    scale = group(page, "8")
    if javascript:
        expect(group(page, "8a")).to_be_hidden()
    scale.get_by_label("2", exact=True).check()
    expect(group(page, "8a")).to_be_visible()
    group(page, "8a").get_by_role("textbox").fill("Fler möten med företagen.")
    for row, value in (("Jordbruk", "4"), ("Tillverkning", "Vet ej"), ("Transport", "2")):
        group(page, "9").get_by_role("group", name=row).get_by_label(value, exact=True).check()


@pytest.mark.parametrize("javascript,width", [(True, 1280), (False, 320), (True, 320)])
def test_every_kind_answered_drafted_reopened_submitted_and_read(
    live_app, browser, live_server, log_in, page, javascript, width
):
    survey_id, q, token = _arrange(live_app)
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=javascript,
        viewport={"width": width, "height": 900},
        locale="sv-SE",
    )
    answering = context.new_page()
    answering.goto(f"/r/{token}")
    if javascript:
        assert_accessible(answering, f"every kind at {width} px")
    no_sideways_scroll(answering)
    _answer_every_kind(answering, q, javascript)
    answering.get_by_role("button", name="Spara utkast").click()
    expect(answering.locator(".flash")).to_contain_text("Utkastet är sparat")
    context.close()

    reopened = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=javascript,
        viewport={"width": width, "height": 900},
    )
    form = reopened.new_page()
    form.goto(f"/r/{token}")
    expect(group(form, "6").get_by_role("textbox")).to_have_value("1200,5")
    expect(form.locator(f"#q{q['7']}_text")).to_have_value("2019-03-01")
    expect(group(form, "8").get_by_label("2", exact=True)).to_be_checked()
    expect(group(form, "8a").get_by_role("textbox")).to_have_value("Fler möten med företagen.")
    tillverkning = group(form, "9").get_by_role("group", name="Tillverkning")
    expect(tillverkning.get_by_label("Vet ej", exact=True)).to_be_checked()
    form.get_by_role("button", name="Fortsätt till att skicka in").click()
    expect(form.get_by_role("heading", level=1)).to_have_text("Kontrollera dina svar")
    main = form.locator("main")
    for shown in ("1200,5 årsarbetskrafter", "2019-03-01", "2 av 5", "strategi.pdf", "Vet ej"):
        expect(main).to_contain_text(shown)
    if javascript:
        assert_accessible(form, "check page of every kind")
    no_sideways_scroll(form)
    form.get_by_role("button", name="Skicka in svaren").click()
    expect(form.get_by_role("heading", level=1)).to_have_text("Tack för ditt svar")
    reopened.close()

    page.set_viewport_size({"width": width, "height": 900})
    log_in("pia@example.org")
    page.goto(f"/surveys/{survey_id}/results")
    results = page.locator("main")
    expect(results).to_contain_text("1 svar ingår.")
    expect(results).to_contain_text("Medelvärde")
    expect(page.get_by_role("link", name="strategi.pdf")).to_be_visible()
    expect(page.locator("table.result-grid tbody tr").first).to_contain_text("Jordbruk")
    assert_accessible(page, f"results of every kind at {width} px")
    no_sideways_scroll(page)


def test_a_file_refused_for_its_content_keeps_everything_typed(live_app, browser, live_server):
    _, q, token = _arrange(live_app)
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.goto(f"/r/{token}")
    group(page, "1").get_by_label("Ja", exact=True).check()
    group(page, "2").get_by_role("textbox").fill("Miljömålssamordnaren")
    group(page, "6").get_by_role("textbox").fill("3,5")
    attach = group(page, "1a")
    attach.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "strategi.pdf",
                "mimeType": "application/pdf",
                "buffer": b"<html><script>alert(1)</script></html>",
            }
        ]
    )
    attach.get_by_role("button", name="Ladda upp").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(
        "Filen strategi.pdf laddades inte upp: Filtypen är inte tillåten"
    )
    expect(group(page, "1a").locator(".field-error")).to_contain_text("Filtypen är inte tillåten")
    expect(group(page, "2").get_by_role("textbox")).to_have_value("Miljömålssamordnaren")
    expect(group(page, "6").get_by_role("textbox")).to_have_value("3,5")
    expect(group(page, "1").get_by_label("Ja", exact=True)).to_be_checked()
    assert_accessible(page, "a refused file")
    summary.get_by_role("link").click()
    expect(page.locator(f"#q{q['1a']}_files")).to_be_focused()
    context.close()


def test_a_follow_up_appears_and_disappears_with_the_keyboard(live_app, browser, live_server):
    _, q, token = _arrange(live_app)
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.goto(f"/r/{token}")
    follow_up = group(page, "1a")
    expect(follow_up).to_be_hidden()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == f"q{q['1']}_choice-0":
            break
    page.keyboard.press("Space")
    expect(follow_up).to_be_visible()
    status = page.locator(".conditions-status")
    expect(status).to_have_text("Fråga 1a visas nu.")
    page.keyboard.press("ArrowRight")  # Nej
    expect(follow_up).to_be_hidden()
    expect(status).to_have_text("Fråga 1a är dold: den gäller inte ditt svar.")
    expect(page.locator(f"#q{q['1']}_choice-1")).to_be_focused()
    page.keyboard.press("ArrowLeft")  # Ja again: the follow-up comes back
    expect(follow_up).to_be_visible()
    expect(page.locator(f"#q{q['1']}_choice-0")).to_be_focused()
    assert_accessible(page, "a follow-up question shown")
    context.close()


def test_the_builder_shows_the_settings_of_the_chosen_kind_and_previews_it(live_app, page, log_in):
    survey = make_survey(state="draft", questions=every_kind_questions())
    survey.project.members.append(make_user("coordinator", email="pia@example.org"))
    survey_id = survey.id
    db.session.commit()
    log_in("pia@example.org")
    page.goto(f"/surveys/{survey_id}/questions/new")
    kind = page.get_by_label("Typ av svar")
    kind.select_option(label="Tal")
    expect(page.get_by_label("Enhet")).to_be_visible()
    expect(page.get_by_label("Rutnätets rader")).to_be_hidden()
    kind.select_option(label="Rutnät (flera rader med samma alternativ)")
    expect(page.get_by_label("Rutnätets rader")).to_be_visible()
    expect(page.get_by_label("Enhet")).to_be_hidden()
    assert_accessible(page, "new question, a grid")
    page.get_by_label("Nummer").fill("10")
    page.get_by_label("Frågan").fill("Hur viktiga är frågorna?")
    page.get_by_label("Rutnätets rader").fill("Klimat\nVatten")
    page.get_by_label("Svara på en skala i stället för med alternativen ovan").check()
    condition = page.get_by_role("group", name=re.compile("^Om svaret på fråga 8"))
    condition.get_by_label("1 – Mycket dåligt").check()
    page.get_by_role("button", name="Lägg till").click()
    expect(page.locator("main")).to_contain_text("Följdfråga: Besvara om du svarat 1")
    page.get_by_role("link", name="Ändra 10").click()
    preview = page.locator(".question-preview")
    expect(preview.get_by_role("group", name="Klimat")).to_be_visible()
    assert_accessible(page, "a grid question with its preview")
    page.goto(f"/surveys/{survey_id}/preview")
    expect(group(page, "10")).to_be_hidden()
    group(page, "8").get_by_label("1 – Mycket dåligt").check()
    expect(group(page, "10")).to_be_visible()
    assert_accessible(page, "preview of every kind")
