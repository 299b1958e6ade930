"""The board answer's pages through the test client: two colleagues, one answer."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import AuditEvent, OutboxMessage, Response
from coordinator.services.mail.secret_links import fill, tokens_for
from tests.factories import make_contact, make_invitation, make_organisation, make_survey, make_user
from tests.support import ClientRequest, login

FUTURE = datetime.now(UTC) + timedelta(days=30)


def _arrange():
    survey = make_survey(deadline_at=FUTURE)
    board = make_organisation("Länsstyrelsen Skåne", "12")
    anna_contact = make_contact(board, name="Anna Andersson", email="anna@lansstyrelsen.se")
    _, anna = make_invitation(survey, anna_contact)
    _, bo = make_invitation(survey, make_contact(board, name="Bo Berg"))
    other = make_organisation("Länsstyrelsen Halland", "13")
    _, halland = make_invitation(survey, make_contact(other, name="Hanna Hall"))
    db.session.commit()
    return survey, {q.number: q for q in survey.questions}, anna, bo, halland


def _form_data(page):
    """What the board form would post as shown: its hidden fields and texts."""
    data = {i["name"]: i.get("value", "") for i in page.select("form input[type=hidden]")}
    for area in page.select("form textarea"):
        data[area["name"]] = area.get_text()
    return data


def shown_path(survey, board):
    return f"/surveys/{survey.id}/organisations/{board.organisation_id}"


def _board(survey, organisation_name):
    return db.session.scalar(
        select(Response).where(Response.survey_id == survey.id, Response.is_board_answer)
    )


def test_colleagues_share_the_board_answer_and_see_who_wrote_what(app, client, client_request):
    survey, q, anna, bo, halland = _arrange()
    personal = client_request.get(f"/r/{anna}")
    assert personal.find("a", href=f"/r/{anna}/board")
    page = client_request.get(f"/r/{anna}/board")
    data = {**_form_data(page), f"q{q['4'].id}_text": "Vi deltar i LeadIT.", "action": "save"}
    client_request.post(f"/r/{anna}/board", data, status=302)
    bos_page = ClientRequest(app.test_client(), app).get(f"/r/{bo}/board")
    assert bos_page.find("textarea", attrs={"name": f"q{q['4'].id}_text"}).get_text() == (
        "Vi deltar i LeadIT."
    )
    note = bos_page.select_one(f"#q{q['4'].id}-writer").get_text(" ", strip=True)
    assert note.startswith("Senast ändrat av Anna Andersson")
    # Another board sees an empty board answer of its own, and Anna's personal answer is empty.
    theirs = ClientRequest(app.test_client(), app).get(f"/r/{halland}/board")
    assert "LeadIT" not in str(theirs)
    personal = client_request.get(f"/r/{anna}")
    assert "LeadIT" not in str(personal)
    status = personal.select_one(".board-panel").get_text(" ", strip=True)
    assert "Det gemensamma svaret är ett utkast, senast sparat" in status
    halland_personal = ClientRequest(app.test_client(), app).get(f"/r/{halland}")
    assert "senast sparat" not in halland_personal.select_one(".board-panel").get_text()


def test_the_same_question_saved_by_two_shows_both_texts(app, client_request):
    survey, q, anna, bo, _ = _arrange()
    bo_client = ClientRequest(app.test_client(), app)
    annas_page = client_request.get(f"/r/{anna}/board")
    bos_page = bo_client.get(f"/r/{bo}/board")
    text, other = f"q{q['2a'].id}_text", f"q{q['4'].id}_text"
    client_request.post(
        f"/r/{anna}/board", {**_form_data(annas_page), text: "Annas exempel"}, status=302
    )
    conflict = bo_client.post(
        f"/r/{bo}/board",
        {**_form_data(bos_page), text: "Bos exempel", other: "Bos övrigt"},
        status=409,
    )
    cells = [td.get_text(" ", strip=True) for td in conflict.select("tbody td")]
    assert cells[0] == "Bos exempel"
    assert cells[1].startswith("Annas exempel") and "Anna Andersson" in cells[1]
    board = _board(survey, "Länsstyrelsen Skåne")
    answers = {a.question_id: a.text for a in board.answers}
    assert answers == {q["2a"].id: "Annas exempel", q["4"].id: "Bos övrigt"}
    # "Behåll det jag skrev nu" posts again over what is stored now.
    keep = conflict.select_one("form[action$='/board']")
    data = {i["name"]: i.get("value", "") for i in keep.select("input")}
    bo_client.post(f"/r/{bo}/board", {**data, "action": "save"}, status=302)
    db.session.expire_all()
    assert {a.question_id: a.text for a in board.answers}[q["2a"].id] == "Bos exempel"


def test_submitting_the_board_answer_as_the_coordinated_one(app, client_request):
    survey, q, anna, _, _ = _arrange()
    page = client_request.get(f"/r/{anna}/board")
    data = {
        **_form_data(page),
        f"q{q['1'].id}_choice": "yes",
        f"q{q['2a'].id}_text": "Klimatklivet",
        "action": "review",
    }
    client_request.post(f"/r/{anna}/board", data, status=302)
    check = client_request.get(f"/r/{anna}/board/check")
    assert check.find("input", id="coordinated").has_attr("checked")
    assert "Senast ändrat av Anna Andersson" in check.select_one(".answers-list").get_text()
    client_request.post(f"/r/{anna}/board/submit", {"coordinated": "y"}, status=302)
    board = _board(survey, "Länsstyrelsen Skåne")
    assert board.submitted and board.is_coordinated
    # The receipt goes to the colleague who submitted it, with the link to the board answer.
    receipt = db.session.scalar(select(OutboxMessage).where(OutboxMessage.cause_type == "receipt"))
    assert receipt.recipient_email == "anna@lansstyrelsen.se"
    text = fill(receipt.text_body, tokens_for([receipt]))
    assert f"/r/{anna}/board" in text
    # The copy of the answers is the board's joint answer, not hers alone.
    assert "Länsstyrelsens gemensamma svar:" in text and "Dina svar" not in text
    assert "Länsstyrelsens gemensamma svar</h2>" in receipt.html_body
    assert "Dina svar" not in receipt.html_body
    shown = client_request.get(f"/r/{anna}/board")
    assert "länsstyrelsens samordnade svar" in shown.get_text(" ", strip=True).lower()


def test_an_organisation_that_is_no_county_board_reads_organisationens(app, client_request):
    survey = make_survey(deadline_at=FUTURE)
    network = make_organisation("Miljömålsnätverket")
    _, token = make_invitation(survey, make_contact(network, email="eva@natverket.se"))
    db.session.commit()
    q = {q.number: q for q in survey.questions}
    page = client_request.get(f"/r/{token}/board")
    data = {
        **_form_data(page),
        f"q{q['1'].id}_choice": "yes",
        f"q{q['2a'].id}_text": "Nätverksträffar",
        "action": "review",
    }
    client_request.post(f"/r/{token}/board", data, status=302)
    words = client_request.get(f"/r/{token}/board/check").get_text(" ", strip=True)
    assert "Detta är organisationens samordnade svar" in words
    assert "länsstyrelsen" not in words.lower()
    personal = client_request.get(f"/r/{token}").select_one(".board-panel")
    assert "länsstyrelsen" not in personal.get_text(" ", strip=True).lower()
    client_request.post(f"/r/{token}/board/submit", {"coordinated": "y"}, status=302)
    receipt = db.session.scalar(select(OutboxMessage).where(OutboxMessage.cause_type == "receipt"))
    assert "Organisationens gemensamma svar:" in receipt.text_body
    shown = client_request.get(f"/r/{token}/board").get_text(" ", strip=True)
    assert "organisationens samordnade svar" in shown
    assert "länsstyrelsen" not in shown.lower()


def test_a_coordinator_submits_and_marks_on_the_boards_behalf(app, client, client_request):
    survey, q, anna, _, _ = _arrange()
    page = client_request.get(f"/r/{anna}/board")
    data = {**_form_data(page), f"q{q['2a'].id}_text": "Klimatklivet", "action": "save"}
    client_request.post(f"/r/{anna}/board", data, status=302)
    board = _board(survey, "Länsstyrelsen Skåne")
    staff = ClientRequest(app.test_client(), app)
    kim = make_user("coordinator", name="Kim Samordnare")
    survey.project.members.append(kim)  # a survey is changed by its project's members
    login(staff.client, kim)
    db.session.commit()
    base = f"/surveys/{survey.id}/responses/{board.id}/coordinated"
    shown = staff.get(f"/surveys/{survey.id}/organisations/{board.organisation_id}")
    assert "Senast ändrat av Anna Andersson" in shown.get_text(" ", strip=True)
    assert shown.select_one(f"form[action='{base}/submit']")
    # Question 1 is required and not answered: nothing is submitted.
    assert staff.post(f"{base}/submit", status=302) == shown_path(survey, board)
    db.session.expire_all()
    assert not board.submitted
    staff.post(f"{base}/set", status=302)
    db.session.expire_all()
    assert board.is_coordinated
    staff.post(f"{base}/clear", status=302)
    db.session.expire_all()
    assert not board.is_coordinated
    actions = db.session.scalars(
        select(AuditEvent.summary).where(
            AuditEvent.object_id == board.id, AuditEvent.action == "response.coordinated"
        )
    ).all()
    assert actions == ["Markerat som samordnat svar", "Avmarkerat som samordnat svar"]


def test_a_board_answer_file_is_not_reachable_from_another_board(app, client_request):
    from coordinator.models import Answer, AnswerFile
    from coordinator.services.projects.storage import storage
    from coordinator.services.surveys.board_answers import get_or_create_board_answer
    from coordinator.services.surveys.invitations import find_invitation_by_token

    survey, q, anna, bo, halland = _arrange()
    board = get_or_create_board_answer(find_invitation_by_token(anna), datetime.now(UTC))
    file = AnswerFile(
        filename="plan.pdf",
        content_type="application/pdf",
        size=4,
        storage_key=storage().save(b"%PDF"),
    )
    board.answers.append(Answer(question_id=q["4"].id, files=[file]))
    db.session.commit()
    client_request.get(f"/r/{bo}/files/{file.id}")
    client_request.get(f"/r/{halland}/files/{file.id}", status=404)


def test_saving_by_itself_takes_the_fingerprints_of_what_it_wrote(app, client_request):
    survey, q, anna, bo, _ = _arrange()
    bo_client = ClientRequest(app.test_client(), app)
    annas_page = client_request.get(f"/r/{anna}/board")
    bos_page = bo_client.get(f"/r/{bo}/board")
    text, other = f"q{q['2a'].id}_text", f"q{q['4'].id}_text"
    data = {**_form_data(annas_page), text: "Annas utkast", "action": "autosave"}
    reply = client_request.client.post(f"/r/{anna}/board", data=data)
    assert reply.status_code == 200 and reply.json["saved"]
    assert list(reply.json["seen"]) == [f"seen_{q['2a'].id}"]
    # Anna goes on typing: her own earlier save is no conflict.
    data.update({text: "Annas utkast, längre", **reply.json["seen"]})
    again = client_request.client.post(f"/r/{anna}/board", data=data)
    assert again.status_code == 200 and again.json["saved"]
    # Bo's page still shows question 2a empty: his automatic save of it is a conflict,
    # while his question 4 is saved.
    bos = {**_form_data(bos_page), text: "Bos utkast", other: "Bos övrigt", "action": "autosave"}
    conflict = bo_client.client.post(f"/r/{bo}/board", data=bos)
    assert conflict.status_code == 409 and conflict.json["reason"] == "conflict"
    assert list(conflict.json["seen"]) == [f"seen_{q['4'].id}"]
    board = _board(survey, "Länsstyrelsen Skåne")
    assert {a.question_id: a.text for a in board.answers} == {
        q["2a"].id: "Annas utkast, längre",
        q["4"].id: "Bos övrigt",
    }
