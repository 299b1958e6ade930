"""Results shared back with the boards over HTTP: the coordinator's choice, the board's
page through its link (404 before sharing and after undoing), the public page, and the
next round opening pre-filled."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import OutboxMessage, Response, Survey
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    save_answers,
    submit_response,
)
from tests.factories import (
    make_contact,
    make_invitation,
    make_member,
    make_organisation,
    make_survey,
)
from tests.support import login

DEADLINE = datetime(2018, 8, 23, 21, 59, tzinfo=UTC)


def _answered():
    survey = make_survey(deadline_at=DEADLINE)
    q = {q.number: q.id for q in survey.questions}
    tokens = {}
    for code, name in (("12", "Skåne"), ("20", "Dalarna")):
        invitation, token = make_invitation(
            survey, make_contact(make_organisation(f"Länsstyrelsen {name}", code))
        )
        invitation.sent_at = DEADLINE - timedelta(days=20)
        tokens[name] = token
        at = DEADLINE - timedelta(days=1)
        response = get_or_create_response(invitation, at)
        answers = {
            q["1"]: AnswerInput("yes", f"<b>Klimatråd</b> i {name}"),
            q["2a"]: AnswerInput(text=f"Exempel från {name}"),
        }
        save_answers(response, answers, None, at)
        submit_response(response, at)
    db.session.commit()
    return survey, tokens


def test_board_sees_results_only_while_shared(app, client, client_request):
    survey, tokens = _answered()
    board_results = f"/r/{tokens['Skåne']}/results"
    client_request.get(board_results, status=404)
    client_request.get(f"/r/{tokens['Skåne']}").find(string="Se det sammanställda resultatet")

    login(client, make_member(survey.project))
    page = client_request.get(f"/surveys/{survey.id}/results/share")
    assert page.find("input", attrs={"name": "on_public_page"}) is None  # not a public project
    path = client_request.post(
        f"/surveys/{survey.id}/results/share", {"include_free_text": "y", "notify": "y"}
    )
    assert path == f"/surveys/{survey.id}/results"
    mails = db.session.scalars(select(OutboxMessage.cause_type)).all()
    assert mails == ["results_shared", "results_shared"]
    client.get("/logout")

    page = client_request.get(board_results)
    assert "Exempel från Dalarna" in page.text  # every board's free text, by board
    assert "<b>Klimatråd</b> i Skåne" in page.text  # escaped, shown as typed
    assert page.find("svg", class_="chart") is not None
    form = client_request.get(f"/r/{tokens['Skåne']}")
    assert form.find("a", href=board_results) is not None

    login(client, make_member(survey.project))
    client_request.post(f"/surveys/{survey.id}/results/unshare")
    client.get("/logout")
    client_request.get(board_results, status=404)


def test_free_text_left_out_and_public_page_only_when_chosen(app, client, client_request):
    survey, tokens = _answered()
    survey.project.visibility = "public"
    db.session.commit()
    slug = survey.project.slug
    public = f"/p/{slug}/results/{survey.id}"
    login(client, make_member(survey.project))
    client_request.post(f"/surveys/{survey.id}/results/share", {"notify": ""})
    client_request.get(public, status=404)
    assert db.session.scalar(select(OutboxMessage.id)) is None
    client_request.post(f"/surveys/{survey.id}/results/share", {"on_public_page": "y"})
    # Changing the sharing starts from what it includes, without mailing everyone again.
    form = client_request.get(f"/surveys/{survey.id}/results/share")
    assert form.find("input", attrs={"name": "on_public_page"}).has_attr("checked")
    assert not form.find("input", attrs={"name": "include_free_text"}).has_attr("checked")
    assert not form.find("input", attrs={"name": "notify"}).has_attr("checked")
    client.get("/logout")

    page = client_request.get(f"/r/{tokens['Dalarna']}/results")
    assert "Exempel från" not in page.text
    assert "Fritextsvaren ingår inte." in page.text
    project_page = client_request.get(f"/p/{slug}")
    assert project_page.find("a", href=public) is not None
    assert "Exempel från" not in client_request.get(public).text


def test_new_round_opens_prefilled(app, client, client_request):
    survey, _ = _answered()
    login(client, make_member(survey.project))
    path = client_request.post(f"/surveys/{survey.id}/next-round")
    new = db.session.scalar(select(Survey).where(Survey.previous_round_id == survey.id))
    assert path == f"/surveys/{new.id}"
    new.state = "open"
    new.deadline_at = datetime.now(UTC) + timedelta(days=30)
    draft = db.session.scalars(select(Response).where(Response.survey_id == new.id)).first()
    assert draft.is_board_answer
    # A colleague invited only to the new round sees the board's pre-filled answer too.
    _, token = make_invitation(new, make_contact(draft.organisation))
    db.session.commit()
    client.get("/logout")
    personal = client_request.get(f"/r/{token}")
    assert not personal.find_all(string="Förifyllt från förra omgången – bekräfta eller ändra")
    assert personal.find(string=lambda s: "förra omgången" in s and "gemensamma svaret" in s)
    page = client_request.get(f"/r/{token}/board")
    marks = page.find_all(string="Förifyllt från förra omgången – bekräfta eller ändra")
    assert len(marks) == 2
    first = {q.number: q for q in new.questions}["1"]
    comment = page.find("textarea", attrs={"name": f"q{first.id}_text"}).text
    assert comment == f"<b>Klimatråd</b> i {draft.organisation.name.removeprefix('Länsstyrelsen ')}"


def _as_shown(page):
    """What the form posts when nothing is touched: hidden fields, texts, ticked boxes."""
    data = {i["name"]: i.get("value", "") for i in page.select("form input[type=hidden]")}
    for area in page.select("form textarea"):
        data[area["name"]] = area.get_text()
    for box in page.select("form input[checked]"):
        data[box["name"]] = box["value"]
    return data


def test_saving_the_whole_form_keeps_the_marks_it_did_not_change_or_confirm(
    app, client, client_request
):
    survey, _ = _answered()
    login(client, make_member(survey.project))
    client_request.post(f"/surveys/{survey.id}/next-round")
    new = db.session.scalar(select(Survey).where(Survey.previous_round_id == survey.id))
    new.state = "open"
    new.deadline_at = datetime.now(UTC) + timedelta(days=30)
    draft = db.session.scalars(select(Response).where(Response.survey_id == new.id)).first()
    _, token = make_invitation(new, make_contact(draft.organisation))
    db.session.commit()
    client.get("/logout")
    q = {q.number: q.id for q in new.questions}
    mark = "Förifyllt från förra omgången – bekräfta eller ändra"

    page = client_request.get(f"/r/{token}/board")
    box = page.find("input", attrs={"name": f"confirm_{q['1']}"})
    assert box["type"] == "checkbox"
    assert page.find("label", attrs={"for": box["id"]}).get_text(strip=True) == (
        "Bekräfta svaret som det är"
    )
    # Autosave posts the whole form as shown: no answer was changed or confirmed.
    client_request.post(f"/r/{token}/board", {**_as_shown(page), "action": "autosave"}, status=200)
    page = client_request.get(f"/r/{token}/board")
    assert len(page.find_all(string=mark)) == 2
    # Ticking "Bekräfta" confirms that answer only.
    data = {**_as_shown(page), f"confirm_{q['1']}": "y", "action": "save"}
    client_request.post(f"/r/{token}/board", data, status=302)
    page = client_request.get(f"/r/{token}/board")
    assert len(page.find_all(string=mark)) == 1
    assert page.find("input", attrs={"name": f"confirm_{q['1']}"}) is None
    assert page.find("input", attrs={"name": f"confirm_{q['2a']}"}) is not None
