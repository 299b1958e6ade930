"""In Chromium: a coordinator shares the results, a board opens them through its answer
link, and a new round opens with the board's answers pre-filled (all pages axe clean)."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Invitation, Response, Survey
from coordinator.services.surveys.invitations import invitation_token
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    save_answers,
    submit_response,
)
from tests.e2e.axe import assert_accessible
from tests.factories import (
    make_contact,
    make_invitation,
    make_organisation,
    make_survey,
    make_user,
)

pytestmark = pytest.mark.e2e

PREFILLED = "Förifyllt från förra omgången – bekräfta eller ändra"


def test_board_opens_shared_results_and_the_next_round_prefilled(live_app, page, log_in):
    deadline = datetime.now(UTC) + timedelta(days=30)
    survey = make_survey(deadline_at=deadline)
    q = {q.number: q.id for q in survey.questions}
    invitation, token = make_invitation(
        survey, make_contact(make_organisation("Länsstyrelsen Skåne", "12"))
    )
    at = datetime.now(UTC) - timedelta(minutes=5)
    response = get_or_create_response(invitation, at)
    answers = {
        q["1"]: AnswerInput("yes", "Klimatsamverkan Skåne"),
        q["2a"]: AnswerInput(text="Energikartläggning i små företag"),
        q["3"]: AnswerInput(options=["C"]),
    }
    save_answers(response, answers, None, at)
    submit_response(response, at)
    survey.project.members.append(make_user("coordinator", email="pia@example.org"))
    survey_id = survey.id
    db.session.commit()

    page.goto(f"/r/{token}/results")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")

    log_in("pia@example.org")
    page.goto(f"/surveys/{survey_id}/results")
    page.get_by_role("link", name="Dela resultatet med länsstyrelserna").click()
    assert_accessible(page, "share results")
    page.get_by_label("Ta med fritextsvaren").uncheck()
    page.get_by_role("button", name="Dela resultatet").click()
    expect(page.locator(".flash-success")).to_contain_text("Resultatet är delat")

    board = page.context.browser.new_context(base_url=page.url.split("/surveys")[0])
    board_page = board.new_page()
    board_page.goto(f"/r/{token}")
    board_page.get_by_role("link", name="Se det sammanställda resultatet av enkäten").click()
    expect(board_page.get_by_role("heading", level=1)).to_have_text("Resultat")
    expect(board_page.locator("main")).to_contain_text("Fritextsvaren ingår inte.")
    expect(board_page.locator("main")).not_to_contain_text("Klimatsamverkan Skåne")
    assert board_page.locator("svg.chart[role=img]").count() == 2
    assert_accessible(board_page, "shared results")

    page.goto(f"/surveys/{survey_id}")
    page.get_by_role("button", name="Ny omgång").click()
    expect(page.locator(".flash-success")).to_contain_text("Den nya omgången är skapad")
    new = db.session.scalar(select(Survey).where(Survey.previous_round_id == survey_id))
    new.state = "open"
    new.deadline_at = deadline + timedelta(days=365)
    draft = db.session.scalar(select(Response).where(Response.survey_id == new.id))
    assert draft.is_board_answer
    new_invitation = db.session.scalar(select(Invitation).where(Invitation.survey_id == new.id))
    new_token = invitation_token(new_invitation.token_nonce)
    db.session.commit()

    board_page.goto(f"/r/{new_token}")
    board_page.get_by_role("link", name="Öppna det gemensamma svaret").click()
    expect(board_page.get_by_text(PREFILLED)).to_have_count(3)
    first = board_page.locator("fieldset.question").first
    expect(first.get_by_role("textbox")).to_have_value("Klimatsamverkan Skåne")
    assert_accessible(board_page, "pre-filled round")
    first.get_by_role("textbox").fill("Klimatsamverkan Skåne och Blekinge")
    board_page.get_by_role("button", name="Spara utkast").click()
    expect(board_page.locator(".flash-success")).to_contain_text("Det gemensamma svaret är sparat")
    # Only the changed answer loses its mark; the others still wait to be confirmed.
    expect(board_page.get_by_text(PREFILLED)).to_have_count(2)
    board_page.get_by_label("Bekräfta svaret som det är").first.check()
    board_page.get_by_role("button", name="Spara utkast").click()
    expect(board_page.get_by_text(PREFILLED)).to_have_count(1)
    assert_accessible(board_page, "pre-filled round, one confirmed")
    board.close()
