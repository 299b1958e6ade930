"""The respondent's pages through the test client."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import Invitation, OutboxMessage, Response
from coordinator.services.surveys.invitations import revoke
from tests.factories import make_invitation, make_survey, make_user
from tests.support import csrf_token

FUTURE = datetime.now(UTC) + timedelta(days=30)


def _arrange(**kwargs):
    survey = make_survey(deadline_at=FUTURE, **kwargs)
    invitation, token = make_invitation(survey)
    db.session.commit()
    q = {q.number: q for q in survey.questions}
    return survey, invitation, token, q


def _version(client_request, token):
    return client_request.get(f"/r/{token}").find("input", attrs={"name": "version"})["value"]


def _post(client_request, token, data, status=302, action="save"):
    return client_request.post(f"/r/{token}", {"action": action, **data}, status=status)


def test_opening_the_link_changes_nothing_and_is_private(app, client_request):
    survey, invitation, token, _ = _arrange()
    response = client_request.client.get(f"/r/{token}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    body = response.get_data(as_text=True)
    assert survey.title in body and "Svara senast" in body
    db.session.expire_all()
    assert invitation.opened_at is None
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


ROUTES = [
    ("GET", "/r/{}"),
    ("POST", "/r/{}"),
    ("POST", "/r/{}/opened"),
    ("GET", "/r/{}/check"),
    ("POST", "/r/{}/submit"),
    ("GET", "/r/{}/done"),
    ("GET", "/r/{}/pass-on"),
    ("POST", "/r/{}/pass-on"),
]


@pytest.mark.parametrize("kind", ["wrong", "revoked", "draft survey", "other survey"])
def test_wrong_or_revoked_tokens_reach_nothing(app, client, kind):
    survey, invitation, token, _ = _arrange()
    if kind == "wrong":
        token = "not-a-real-token-" + "x" * 30
    elif kind == "revoked":
        revoke(invitation, make_user(), datetime.now(UTC))
    elif kind == "draft survey":
        _, token = make_invitation(make_survey(state="draft"))
    else:
        # A link to another survey opens that survey's own invitation and nothing of this one.
        other = make_survey(deadline_at=FUTURE)
        other.title = "En helt annan enkät"
        _, token = make_invitation(other)
    db.session.commit()
    for method, url in ROUTES:
        response = client.open(
            url.format(token), method=method, data={"csrf_token": csrf_token(client, app)}
        )
        body = response.get_data(as_text=True)
        if kind == "other survey":
            assert survey.title not in body
            assert response.status_code in (200, 204, 302, 400), (method, url)
        else:
            assert response.status_code == 404, (method, url, kind)
            assert "Enkät om näringslivet" not in body
            assert response.headers["Cache-Control"] == "no-store"
    assert invitation.response is None


def test_every_route_with_a_good_token(app, client_request):
    _, _, token, q = _arrange()
    assert client_request.get(f"/r/{token}/check", status=302)
    assert client_request.get(f"/r/{token}/done", status=302)
    page = client_request.get(f"/r/{token}/pass-on")
    assert page.find("input", attrs={"name": "email"})
    _post(client_request, token, {"version": 0, f"q{q['4'].id}_text": "Utkast"})
    page = client_request.get(f"/r/{token}/check")
    assert [a["href"] for a in page.select(".error-summary a")] == [
        f"/r/{token}#q{q['1'].id}_choice-0",
        f"/r/{token}#q{q['2a'].id}_text",
    ]
    assert not page.select("form[action$=submit]")  # nothing to submit while answers are missing
    response = client_request.client.get(f"/r/{token}/check")
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_token_look_ups_are_rate_limited(app, client):
    _, _, token, _ = _arrange()
    app.config["TOKEN_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [client.get(f"/r/{token}").status_code for _ in range(3)]
        statuses.append(client.get("/r/guessed-token").status_code)
    finally:
        app.config["TOKEN_RATE_LIMIT"] = "60 per minute"
    assert statuses == [200, 200, 200, 429]


def test_fieldsets_and_legends_for_every_question(app, client_request):
    survey, _, token, q = _arrange()
    page = client_request.get(f"/r/{token}")
    legends = [legend.get_text(" ", strip=True) for legend in page.select("fieldset legend")]
    assert legends[0].startswith("1. Har ni strategier?")
    assert (
        page.find("label", attrs={"for": f"q{q['1'].id}_text"}).get_text()
        == "Beskriv/kommentera kort"
    )
    assert page.find("h2", id=f"heading-{q['2'].id}")


def test_draft_save_then_review_lists_missing_answers(app, client_request):
    survey, invitation, token, q = _arrange()
    assert (
        _post(client_request, token, {"version": 0, f"q{q['1'].id}_choice": "yes"}) == f"/r/{token}"
    )
    version = _version(client_request, token)
    page = _post(
        client_request,
        token,
        {"version": version, f"q{q['1'].id}_text": "Vi har ett klimatråd"},
        status=400,
        action="review",
    )
    links = [a["href"] for a in page.select(".error-summary a")]
    assert f"#q{q['2a'].id}_text" in links
    assert page.find("textarea", id=f"q{q['1'].id}_text").get_text() == "Vi har ett klimatråd"
    assert page.title.get_text().startswith("Fel: ")


def test_a_respondent_who_chose_english_reads_the_rules_in_english(app, client_request):
    survey, invitation, token, q = _arrange()
    client_request.post("/language", {"lang": "en", "next": f"/r/{token}"})
    page = _post(client_request, token, {"version": 0}, status=400, action="review")
    summary = page.select_one(".error-summary").get_text()
    assert f"Answer yes or no to question {q['1'].number}" in summary
    assert "Svara ja eller nej" not in summary
    other = make_invitation(make_survey(deadline_at=FUTURE))[0].contact
    other.email = "olle@annan.example"
    db.session.commit()
    page = client_request.post(
        f"/r/{token}/pass-on", {"name": "Olle Ek", "email": "olle@annan.example"}, status=200
    )
    assert "Your colleague must work at the same organisation." in page.get_text()


def test_expired_csrf_token_shows_everything_that_was_posted(app, client):
    _, _, token, q = _arrange()
    text = "Ett långt svar som inte får försvinna."
    response = client.post(
        f"/r/{token}", data={"csrf_token": "expired", "action": "save", f"q{q['2a'].id}_text": text}
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert text in body and "tryck på Spara utkast igen" in body
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_double_click_on_save_is_no_conflict(app, client_request):
    _, _, token, q = _arrange()
    data = {"version": 0, f"q{q['4'].id}_text": "Två klick"}
    assert _post(client_request, token, data) == f"/r/{token}"
    assert _post(client_request, token, data) == f"/r/{token}"
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_ten_thousand_characters_are_accepted(app, client_request):
    _, _, token, q = _arrange()
    text = "Klimatråd. " * 1_000 + "x"
    assert len(text) == 11_001
    assert _post(client_request, token, {"version": 0, f"q{q['4'].id}_text": text}) == f"/r/{token}"
    assert db.session.scalar(select(Response)).answers[0].text == text


def test_over_long_answer_is_kept_in_the_field(app, client_request):
    _, _, token, q = _arrange()
    long_text = "å" * 20_001
    page = _post(
        client_request,
        token,
        {"version": 0, f"q{q['2a'].id}_text": long_text, f"q{q['4'].id}_text": "sparas"},
        status=400,
    )
    assert page.find("textarea", id=f"q{q['2a'].id}_text").get_text() == long_text
    assert "för lång: 20\xa0001 av högst 20\xa0000 tecken. Den är inte sparad" in page.get_text()
    response = db.session.scalar(select(Response))
    assert [a.text for a in response.answers] == ["sparas"]


def test_submit_flow_with_receipt_and_coordinated_answer(app, client_request):
    survey, invitation, token, q = _arrange()
    data = {
        "version": 0,
        f"q{q['1'].id}_choice": "yes",
        f"q{q['1'].id}_text": "Ja, klimatråd",
        f"q{q['2a'].id}_text": "- Industrisamtal",
        f"q{q['3'].id}_options": ["C", "F"],
    }
    assert _post(client_request, token, data, action="review") == f"/r/{token}/check"
    page = client_request.get(f"/r/{token}/check")
    assert "C Tillverkning; F Byggverksamhet" in page.get_text()
    assert client_request.post(f"/r/{token}/submit", {"coordinated": "y"}) == f"/r/{token}/done"
    assert client_request.post(f"/r/{token}/submit", {"coordinated": "y"}) == f"/r/{token}/done"
    responses = list(db.session.scalars(select(Response)))
    assert len(responses) == 1 and responses[0].submitted and responses[0].is_coordinated
    receipts = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.cause_type == "receipt")
    ).all()
    assert receipts and "Industrisamtal" in receipts[0].text_body
    assert "Tack för ditt svar" in client_request.get(f"/r/{token}/done").get_text()


def test_two_tabs_conflict_shows_both_versions(app, client_request):
    _, _, token, q = _arrange()
    field = f"q{q['2a'].id}_text"
    _post(client_request, token, {"version": 0, field: "Tom från början"})
    opened = _version(client_request, token)  # both tabs open now
    _post(client_request, token, {"version": opened, field: "Från flik ett"})
    page = _post(client_request, token, {"version": opened, field: "Från flik två"}, status=409)
    text = page.get_text()
    assert "Från flik ett" in text and "Från flik två" in text
    response = db.session.scalar(select(Response))
    assert response.answers[0].text == "Från flik ett"
    version = page.find("input", attrs={"name": "version"})["value"]
    assert (
        _post(client_request, token, {"version": version, field: "Från flik två"}) == f"/r/{token}"
    )
    db.session.expire_all()
    assert response.answers[0].text == "Från flik två"


def test_autosave_returns_the_new_version(app, client):
    _, _, token, q = _arrange()
    response = client.post(
        f"/r/{token}",
        data={
            "csrf_token": csrf_token(client, app),
            "action": "autosave",
            "version": "0",
            f"q{q['4'].id}_text": "autosparat",
        },
    )
    assert response.status_code == 200 and response.json["saved"] and response.json["version"] >= 1
    stale = client.post(
        f"/r/{token}",
        data={
            "csrf_token": csrf_token(client, app),
            "action": "autosave",
            "version": "0",
            f"q{q['4'].id}_text": "gammal flik",
        },
    )
    assert stale.status_code == 409 and stale.json["reason"] == "conflict"


def test_autosave_speaks_the_language_of_the_page(app, client):
    _, _, token, q = _arrange()
    with client.session_transaction() as session:
        session["lang"] = "en"
    field = f"q{q['4'].id}_text"
    data = {"csrf_token": csrf_token(client, app), "action": "autosave", "version": "0"}
    saved = client.post(f"/r/{token}", data={**data, field: "autosparat"})
    assert saved.json["message"] == f"Saved {saved.json['saved_at']}"
    stale = client.post(f"/r/{token}", data={**data, field: "gammal flik"})
    assert stale.json["message"].startswith("The answers were changed in another window")
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert 'data-offline="Could not save automatically just now.' in page


def test_autosave_never_reports_saved_for_text_it_did_not_store(app, client):
    _, _, token, q = _arrange()
    field = f"q{q['2a'].id}_text"
    reply = client.post(
        f"/r/{token}",
        data={
            "csrf_token": csrf_token(client, app),
            "action": "autosave",
            "version": "0",
            field: "x" * 40_000,
            f"q{q['4'].id}_text": "sparas",
        },
    )
    assert reply.status_code == 200
    body = reply.json
    assert body["saved"] is False
    message = (
        "Texten i fråga 2a är för lång: 40\xa0000 av högst 20\xa0000 tecken. Den är inte sparad"
    )
    assert body["errors"][field].startswith(message)
    assert body["message"].startswith(message)
    # The other answer was saved as a new version, which the page must carry on from.
    response = db.session.scalar(select(Response))
    assert body["version"] == response.version
    assert {a.question_id: a.text for a in response.answers} == {q["4"].id: "sparas"}


def test_long_text_fields_show_their_limit(app, client_request):
    _, _, token, q = _arrange()
    page = client_request.get(f"/r/{token}")
    for number in ("1", "2a", "4"):
        name = f"q{q[number].id}_text"
        hint = page.find(id=f"{name}-count")
        assert hint.get_text() == "Högst 20\xa0000 tecken." and hint["data-limit"] == "20000"
        assert f"{name}-count" in page.find(id=name)["aria-describedby"].split()


def test_closed_survey_is_read_only(app, client_request):
    survey, invitation, token, q = _arrange()
    survey.state = "closed"
    db.session.commit()
    page = client_request.get(f"/r/{token}")
    assert "Enkäten är stängd" in page.get_text()
    assert page.find("textarea")["readonly"] is not None
    page = _post(
        client_request, token, {"version": 0, f"q{q['4'].id}_text": "för sent"}, status=409
    )
    assert "Enkäten är stängd" in page.get_text()
    assert page.find("textarea", id=f"q{q['4'].id}_text").get_text() == "för sent"
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    assert client_request.get(f"/r/{token}/pass-on", status=302)
    assert invitation.response is None


def test_submit_to_a_closed_survey_is_refused(app, client_request):
    survey, invitation, token, q = _arrange()
    data = {
        "version": 0,
        f"q{q['1'].id}_choice": "no",
        f"q{q['2a'].id}_text": "- Näringslivsdialog",
    }
    assert _post(client_request, token, data, action="review") == f"/r/{token}/check"
    survey.state = "closed"
    db.session.commit()
    assert client_request.post(f"/r/{token}/submit") == f"/r/{token}"
    page = client_request.get(f"/r/{token}")
    assert "Svaren kan inte längre skickas in" in page.get_text()
    db.session.expire_all()
    assert invitation.response.state == "draft"
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_submit_with_an_expired_csrf_token_goes_back_to_the_check_page(app, client_request):
    _, invitation, token, q = _arrange()
    data = {"version": 0, f"q{q['1'].id}_choice": "no", f"q{q['2a'].id}_text": "- Dialog"}
    _post(client_request, token, data, action="review")
    response = client_request.client.post(f"/r/{token}/submit", data={"csrf_token": "gammal"})
    assert response.status_code == 302 and response.location == f"/r/{token}/check"
    assert "Tryck på Skicka in svaren igen" in client_request.get(f"/r/{token}/check").get_text()
    db.session.expire_all()
    assert invitation.response.state == "draft"


def test_pass_on_to_a_colleague_at_the_same_board(app, client_request):
    survey, invitation, token, _ = _arrange()
    invitation.organisation.mail_domains = "example.org"
    db.session.commit()
    page = client_request.post(
        f"/r/{token}/pass-on", {"name": "Mallory", "email": "m@evil.example"}, status=200
    )
    assert "bara skickas vidare till en adress som slutar på @example.org" in page.get_text()
    page = client_request.post(
        f"/r/{token}/pass-on", {"name": "Olle Ek", "email": "inte-en-adress"}, status=200
    )
    assert [a["href"] for a in page.select(".error-summary a")] == ["#email"]
    assert (
        client_request.post(
            f"/r/{token}/pass-on", {"name": "Olle Ek", "email": "olle.ek@example.org"}
        )
        == f"/r/{token}"
    )
    colleague = db.session.scalar(
        select(Invitation).where(Invitation.forwarded_from_id == invitation.id)
    )
    assert colleague.organisation_id == invitation.organisation_id
    assert colleague.contact.email == "olle.ek@example.org"
    mail = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient_email == "olle.ek@example.org")
    )
    assert "/r/" in mail.text_body and token not in mail.text_body


def test_changes_to_a_submitted_answer_are_a_draft_until_submitted_again(app, client_request):
    survey, invitation, token, q = _arrange()
    answered = {
        "version": 0,
        f"q{q['1'].id}_choice": "yes",
        f"q{q['1'].id}_text": "Ja, klimatråd",
        f"q{q['2a'].id}_text": "- Industrisamtal",
    }
    assert _post(client_request, token, answered, action="review") == f"/r/{token}/check"
    assert client_request.post(f"/r/{token}/submit") == f"/r/{token}/done"
    submitted_at = db.session.scalar(select(Response.submitted_at))
    emptied = {"version": _version(client_request, token), f"q{q['2a'].id}_text": ""}
    emptied[f"q{q['1'].id}_text"] = ""
    assert _post(client_request, token, emptied) == f"/r/{token}"
    page = client_request.get(f"/r/{token}")
    assert "Ändringarna är sparade" in page.select_one(".flash-success").get_text()
    assert (
        "Du har ändringar som inte är inskickade" in page.select_one("#changes-notice").get_text()
    )
    assert page.find("textarea", id=f"q{q['2a'].id}_text").get_text() == ""
    db.session.expire_all()
    response = db.session.scalar(select(Response))
    assert response.submitted and response.submitted_at == submitted_at and not response.late
    assert {a.text for a in response.answers} == {"Ja, klimatråd", "- Industrisamtal"}
    staff = make_user()
    db.session.commit()
    from tests.support import login

    login(client_request.client, staff)
    dashboard = client_request.get(f"/surveys/{survey.id}/dashboard")
    assert "Svarat i tid" in dashboard.get_text()
    # Submitting the changes asks for the required answers the changes took away.
    check = client_request.get(f"/r/{token}/check")
    assert "Svara på fråga 2a" in check.select_one(".error-summary").get_text()
    assert not check.select("form[action$=submit]")


def test_the_first_sign_of_a_person_in_the_form_counts_as_opened(app, client_request):
    survey, invitation, token, _ = _arrange()
    page = client_request.get(f"/r/{token}")
    beacon = page.select_one("form[data-autosave]")["data-opened"]
    assert beacon == f"/r/{token}/opened"
    db.session.expire_all()
    assert invitation.opened_at is None  # the GET alone (a mail scanner) records nothing
    assert client_request.client.post(beacon, data={"csrf_token": "forged"}).status_code == 400
    assert client_request.post(beacon, status=204)
    db.session.expire_all()
    first = invitation.opened_at
    assert first is not None
    assert client_request.post(beacon, status=204)
    db.session.expire_all()
    assert invitation.opened_at == first
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    from coordinator.services.surveys.followup import build_dashboard

    row = next(
        r for r in build_dashboard(survey).rows if r.organisation.id == invitation.organisation_id
    )
    assert row.status == "opened"
    # Once opened, the page does not ask again.
    assert (
        not client_request.get(f"/r/{token}").select_one("form[data-autosave]").get("data-opened")
    )


def test_autosave_sends_only_the_questions_that_changed(app, client):
    """autosave.js names the questions it sends; the others keep what is saved, while the
    version check still refuses a save based on an older version."""
    _, _, token, q = _arrange()
    # The personal form asks its script for this; the board answer's form does not.
    assert "data-autosave-changed-only" in client.get(f"/r/{token}").get_data(as_text=True)
    first, second = f"q{q['4'].id}_text", f"q{q['2a'].id}_text"
    data = {"csrf_token": csrf_token(client, app), "action": "autosave"}
    both = client.post(
        f"/r/{token}", data={**data, "version": "0", first: "ett", second: "två"}
    ).json
    one = client.post(
        f"/r/{token}",
        data={
            **data,
            "version": str(both["version"]),
            "autosave_questions": str(q["4"].id),
            first: "ett, ändrat",
        },
    )
    assert one.status_code == 200 and one.json["saved"] and one.json["version"] > both["version"]
    texts = {a.question_id: a.text for a in db.session.scalars(select(Response)).one().answers}
    assert texts[q["4"].id] == "ett, ändrat" and texts[q["2a"].id] == "två"
    stale = client.post(
        f"/r/{token}",
        data={
            **data,
            "version": str(both["version"]),
            "autosave_questions": str(q["2a"].id),
            second: "x",
        },
    )
    assert stale.status_code == 409 and stale.json["reason"] == "conflict"
