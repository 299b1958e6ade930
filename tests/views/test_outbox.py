from coordinator.extensions import db
from coordinator.models import OutboxMessage
from coordinator.services.mail.outbox import unsubscribe_token
from tests.factories import make_contact, make_user
from tests.support import login


def _message():
    message = OutboxMessage(
        recipient_email="karin@example.org",
        subject="Inbjudan",
        text_body="Hemlig text",
        state="failed",
        cause_type="invitation",
        last_error="550 No such user",
    )
    db.session.add(message)
    db.session.flush()
    return message


def test_viewers_do_not_see_the_outbox(app, client):
    login(client, make_user("viewer"))
    assert client.get("/outbox").status_code == 403


def test_coordinators_see_recipients_but_only_admins_see_bodies(app, client_request):
    message = _message()
    login(client_request.client, make_user("coordinator"))
    page = client_request.get("/outbox?state=failed")
    assert "karin@example.org" in page.get_text() and "550 No such user" in page.get_text()
    page = client_request.get(f"/outbox/{message.id}")
    assert "Hemlig text" not in page.get_text()
    login(client_request.client, make_user("admin"))
    assert "Hemlig text" in client_request.get(f"/outbox/{message.id}").get_text()


def test_retry_puts_a_failed_message_back_in_the_queue(app, client_request):
    message = _message()
    login(client_request.client, make_user("coordinator"))
    assert client_request.post(f"/outbox/{message.id}/retry") == "/outbox"
    assert message.state == "queued" and message.attempts == 0


def test_unsubscribe_get_changes_nothing_post_opts_out(app, client_request):
    contact = make_contact()
    token = unsubscribe_token(contact)
    page = client_request.get(f"/unsubscribe/{token}")
    assert contact.email in page.get_text()
    assert contact.opted_out_at is None
    response = client_request.client.get(f"/unsubscribe/{token}")
    assert response.headers["Cache-Control"] == "no-store"
    page = client_request.post(f"/unsubscribe/{token}", status=200)
    assert "Du är avregistrerad" in page.get_text()
    assert contact.opted_out_at is not None
    client_request.get("/unsubscribe/forged-token", status=404)


def test_one_click_unsubscribe_needs_no_csrf_token_but_the_right_body(app, client):
    contact = make_contact()
    url = f"/unsubscribe/{unsubscribe_token(contact)}/one-click"
    assert client.get(url).headers["Location"] == url.removesuffix("/one-click")
    assert client.post(url, data={"List-Unsubscribe": "Yes"}).status_code == 400
    assert contact.opted_out_at is None
    assert client.post(url, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert contact.opted_out_at is not None
    assert client.post("/unsubscribe/forged/one-click", data={}).status_code == 404


def test_cause_is_named_in_swedish(app, client_request):
    _message()
    login(client_request.client, make_user("coordinator"))
    page = client_request.get("/outbox")
    assert "Inbjudan till enkät" in page.select_one("tbody").get_text()


def test_token_look_ups_are_rate_limited(app, client):
    app.config["TOKEN_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [client.get(f"/unsubscribe/guess-{i}").status_code for i in range(5)]
    finally:
        app.config["TOKEN_RATE_LIMIT"] = "60 per minute"
    assert statuses == [404, 404, 404, 429, 429]
