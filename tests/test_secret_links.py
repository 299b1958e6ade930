"""Working secret links are neither stored nor logged in clear (issue 11 point 6).

The outbox keeps a stand-in where a mail has a secret link (an answer link, a password
reset, the opt-out link); the sender puts the working link in as the message leaves.
What administrators read on the outbox page, and what every backup holds, is the body
without it. gunicorn's access log writes every path with a token redacted.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import OutboxMessage
from coordinator.services.accounts.password_reset import request_password_reset
from coordinator.services.mail.outbox import unsubscribe_token
from coordinator.services.mail.sender import send_due_messages
from coordinator.services.surveys.invitations import invite
from tests.factories import make_contact, make_organisation, make_survey, make_user
from tests.support import login

NOW = datetime.now(UTC)


def _stored(message: OutboxMessage) -> str:
    return "\n".join([message.text_body, message.html_body, *message.headers.values()])


def test_an_invitation_is_stored_without_its_links_and_sent_with_them(
    app, client_request, smtp_server
):
    survey = make_survey(deadline_at=NOW + timedelta(days=30))
    contact = make_contact(make_organisation(), email="karin@example.org")
    invite(survey, [contact], None, NOW)
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage))
    stored = _stored(message)
    assert "/r/" in stored and "/unsubscribe/" in stored
    assert unsubscribe_token(contact) not in stored

    send_due_messages(NOW)
    sent = smtp_server.messages[0]
    text = sent.get_body(("plain",)).get_content()
    token = re.search(r"http://localhost/r/(\S+)", text)[1]
    assert token not in stored
    # The delivered link works, and so do the opt-out links in the body and the header.
    assert survey.title in client_request.get(f"/r/{token}").get_text()
    assert unsubscribe_token(contact) in text
    assert unsubscribe_token(contact) in str(sent["List-Unsubscribe"])
    html = sent.get_body(("html",)).get_content()
    assert f"/r/{token}" in html

    login(client_request.client, make_user("admin"))
    page = client_request.get(f"/outbox/{message.id}").get_text()
    assert "http://localhost/r/…" in page and "/unsubscribe/…" in page
    assert token not in page and unsubscribe_token(contact) not in page


def test_text_that_only_looks_like_a_stand_in_is_sent_as_typed(app, smtp_server):
    """A survey title may hold anything, also "secret-" and 24 hex digits."""
    survey = make_survey(deadline_at=NOW + timedelta(days=30))
    survey.title = "Enkät secret-0123456789abcdef01234567"
    invite(survey, [make_contact(make_organisation())], None, NOW)
    db.session.commit()
    assert send_due_messages(NOW).sent == 1
    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "Enkät secret-0123456789abcdef01234567" in text


def test_a_password_reset_is_stored_without_its_link(app, client, smtp_server):
    user = make_user(email="staff@example.org")
    request_password_reset(user.email, NOW)
    db.session.commit()
    stored = _stored(db.session.scalar(select(OutboxMessage)))
    for candidate in re.findall(r"/password-reset/([^\s\"<]+)", stored):
        assert client.get(f"/password-reset/{candidate}").status_code != 200
    send_due_messages(NOW)
    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    token = re.search(r"http://localhost/password-reset/(\S+)", text)[1]
    assert token not in stored
    assert client.get(f"/password-reset/{token}").status_code == 200


def test_the_access_log_redacts_every_token_route(app):
    """The logger that gunicorn.conf.py configures (gunicorn's own writes paths as they
    are) leaves no token of any route with one in the log."""
    import runpy
    from pathlib import Path

    from gunicorn.config import Config
    from gunicorn.util import load_class

    settings = runpy.run_path(str(Path(__file__).parent.parent / "gunicorn.conf.py"))
    logger_class = load_class(settings.get("logger_class", "gunicorn.glogging.Logger"))
    logger = logger_class(Config())
    rules = [r for r in app.url_map.iter_rules() if "token" in r.arguments]
    assert {r.endpoint for r in rules} >= {
        "respond.show_form",
        "auth.reset_password",
        "mail.unsubscribe",
    }
    for rule in rules:
        path = rule.build({**dict.fromkeys(rule.arguments, 1), "token": "SeCrEt-ToKeN"})[1]
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": path + "?x=1",
            "PATH_INFO": path,
            "QUERY_STRING": "x=1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_REFERER": "https://coordinator.example.org" + path,
        }
        response = SimpleNamespace(status="200 OK", sent=10, headers=[])
        request = SimpleNamespace(headers=[("Referer", environ["HTTP_REFERER"])])
        atoms = logger.atoms(response, request, environ, timedelta(seconds=1))
        logged = " ".join(str(v) for v in atoms.values())
        assert "SeCrEt-ToKeN" not in logged, (rule.rule, logged)
        assert path.replace("SeCrEt-ToKeN", "…") in atoms["r"]
