"""The questions of the respondent's form are kept as HTML (respond/question_block.py):
what each person sees is still only what their own page would show, at once after any
change."""

import io
from datetime import UTC, datetime, timedelta

from coordinator.extensions import db
from tests.factories import (
    PDF,
    every_kind_questions,
    make_contact,
    make_invitation,
    make_organisation,
    make_survey,
)
from tests.support import ClientRequest

FUTURE = datetime.now(UTC) + timedelta(days=30)


def _text_question(survey):
    return next(q for q in survey.questions if q.kind == "long_text" and q.parent_id is None)


def test_a_changed_question_shows_at_once(app, client_request):
    survey = make_survey(deadline_at=FUTURE)
    _, token = make_invitation(survey)
    db.session.commit()
    question = _text_question(survey)
    assert question.text in client_request.get(f"/r/{token}").get_text()
    question.text = "Något annat att tillägga?"
    db.session.commit()
    assert "Något annat att tillägga?" in client_request.get(f"/r/{token}").get_text()


def test_each_respondent_sees_their_own_answers_only(app, client_request):
    survey = make_survey(deadline_at=FUTURE)
    _, anna = make_invitation(survey)
    _, bo = make_invitation(survey)
    db.session.commit()
    field = f"q{_text_question(survey).id}_text"
    empty = client_request.get(f"/r/{bo}")  # kept before anyone answered
    assert empty.find("textarea", id=field).get_text() == ""
    client_request.post(f"/r/{anna}", {"action": "save", "version": 0, field: "Annas svar"})
    assert client_request.get(f"/r/{anna}").find("textarea", id=field).get_text() == "Annas svar"
    other = ClientRequest(app.test_client(), app)
    assert other.get(f"/r/{bo}").find("textarea", id=field).get_text() == ""
    other.post(f"/r/{bo}", {"action": "save", "version": 0, field: "Bos svar"})
    assert other.get(f"/r/{bo}").find("textarea", id=field).get_text() == "Bos svar"
    assert client_request.get(f"/r/{anna}").find("textarea", id=field).get_text() == "Annas svar"


def test_the_questions_follow_the_language_of_the_page(app, client_request):
    survey = make_survey(deadline_at=FUTURE)
    _, token = make_invitation(survey)
    db.session.commit()
    assert "(frivillig)" in client_request.get(f"/r/{token}").get_text()
    client_request.post("/language", {"lang": "en", "next": f"/r/{token}"})
    page = client_request.get(f"/r/{token}").get_text()
    assert "(optional)" in page and "(frivillig)" not in page


def test_a_shared_file_links_through_each_colleagues_own_link(app, client_request):
    survey = make_survey(deadline_at=FUTURE, questions=every_kind_questions())
    board = make_organisation("Länsstyrelsen Dalarna", "20")
    _, anna = make_invitation(survey, make_contact(board, name="Anna Berg"))
    _, bo = make_invitation(survey, make_contact(board, name="Bo Ek"))
    db.session.commit()
    files = next(q for q in survey.questions if q.kind == "file_upload")
    page = client_request.get(f"/r/{anna}/board")
    shown = {i["name"]: i.get("value", "") for i in page.select("form input[type=hidden]")}
    client_request.post(
        f"/r/{anna}/board",
        {
            **shown,
            "action": "save",
            f"q{files.condition_question_id}_choice": "yes",
            f"q{files.id}_files": (io.BytesIO(PDF), "strategi.pdf"),
        },
        content_type="multipart/form-data",
    )
    for token in (anna, bo, anna):
        page = ClientRequest(app.test_client(), app).get(f"/r/{token}/board")
        links = [a["href"] for a in page.select(".file-list a")]
        assert links and all(link.startswith(f"/r/{token}/files/") for link in links), links
