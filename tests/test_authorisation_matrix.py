"""Every route, requested as every kind of user, against a written matrix.

The matrix names each endpoint's access level. A route without an entry fails the test,
so a new page cannot be added without deciding who may use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from coordinator.extensions import db, limiter
from coordinator.models import OutboxMessage
from coordinator.services.mail.outbox import unsubscribe_token
from tests.factories import (
    make_contact,
    make_invitation,
    make_meeting,
    make_network,
    make_news,
    make_survey,
    make_user,
)
from tests.support import clean_database, csrf_token, login

ROLES = ("nobody", "respondent", "viewer", "coordinator", "member", "admin")

# What each access level means for each role: allow, login (redirect to the login page),
# forbid (403) or hidden (404).
LEVELS: dict[str, dict[str, str]] = {
    "public": dict.fromkeys(ROLES, "allow"),
    "staff": {
        "nobody": "login",
        "respondent": "login",
        "viewer": "allow",
        "coordinator": "allow",
        "member": "allow",
        "admin": "allow",
    },
    "editor": {
        "nobody": "login",
        "respondent": "login",
        "viewer": "forbid",
        "coordinator": "allow",
        "member": "allow",
        "admin": "allow",
    },
    "member": {
        "nobody": "login",
        "respondent": "login",
        "viewer": "forbid",
        "coordinator": "forbid",
        "member": "allow",
        "admin": "allow",
    },
    "admin": {
        "nobody": "login",
        "respondent": "login",
        "viewer": "forbid",
        "coordinator": "forbid",
        "member": "forbid",
        "admin": "allow",
    },
    # Single sign-on while OIDC_ISSUER is unset, as here: no such page (tests/views/test_sso.py
    # covers it switched on).
    "sso-off": dict.fromkeys(ROLES, "hidden"),
    "respondent": {
        "nobody": "hidden",
        "respondent": "allow",
        "viewer": "hidden",
        "coordinator": "hidden",
        "member": "hidden",
        "admin": "hidden",
    },
}

MATRIX: dict[str, str] = {
    "static": "public",
    "main.index": "staff",
    "main.set_language": "public",
    "main.accessibility_statement": "public",
    "main.logo": "public",
    "main.favicon": "public",
    "auth.login": "public",
    "auth.logout": "public",
    "auth.change_password": "staff",
    "sso.start": "sso-off",
    "sso.callback": "sso-off",
    # Without a right password a moment ago, the code page sends everyone to the login page.
    "two_factor.verify": "public",
    "two_factor.setup": "staff",
    "two_factor.manage": "staff",
    "two_factor.renew_recovery_codes": "staff",
    "two_factor.turn_off": "staff",
    "admin.list_users": "admin",
    "admin.new_user": "admin",
    "admin.edit_user": "admin",
    "admin.end_user_sessions": "admin",
    "admin.reset_two_factor": "admin",
    "admin.forget_sso": "admin",
    "admin.audit_log": "admin",
    "admin.personal_data": "admin",
    "admin.export_personal_data_file": "admin",
    "admin.erase_personal_data_view": "admin",
    "register.list_organisations": "staff",
    "register.show_organisation": "staff",
    "register.new_organisation": "editor",
    "register.edit_organisation": "editor",
    "register.delete_organisation": "editor",
    "register.list_contacts": "staff",
    "register.export_contact_list": "staff",
    "register.show_contact": "staff",
    "register.new_contact": "editor",
    "register.edit_contact": "editor",
    "register.delete_contact": "editor",
    "register.erase_contact": "editor",
    "register.import_contacts": "editor",
    "register.confirm_import": "editor",
    "register.list_networks": "staff",
    "register.show_network": "staff",
    "register.new_network": "editor",
    "register.edit_network": "editor",
    "register.add_network_member": "editor",
    "register.remove_network_member": "editor",
    "register.delete_network": "editor",
    "auth.request_password_reset_view": "public",
    "auth.reset_password": "respondent",
    "mail.unsubscribe": "respondent",
    "mail.unsubscribe_one_click": "respondent",
    "mail.outbox": "editor",
    "mail.show_message": "editor",
    "mail.retry_message": "editor",
    "surveys.list_surveys": "staff",
    "surveys.new_survey": "editor",
    "surveys.show_survey": "staff",
    "surveys.change_state": "member",
    "surveys.extend": "member",
    "surveys.new_question": "member",
    "surveys.delete_question": "member",
    "surveys.move_question": "member",
    "surveys.preview": "staff",
    "surveys.recipients": "member",
    "surveys.dashboard": "staff",
    "surveys.remind": "member",
    "surveys.organisation_responses": "staff",
    "surveys.change_invitation": "member",
    "surveys.mark_coordinated": "member",
    "surveys.register_answer": "member",
    "surveys.copy": "member",
    "surveys.next_round": "member",
    "surveys.edit_question": "member",
    "surveys.edit_settings": "member",
    "surveys.mail_texts": "member",
    "surveys.edit_mail_text": "member",
    "surveys.restore_mail_text": "member",
    "results.show_results": "staff",
    "results.export_workbook": "staff",
    "results.export_csv": "staff",
    "results.workshop_notes": "staff",
    "results.export_attachments": "staff",
    "results.download_attachment": "staff",
    "results.export_handout": "staff",
    "results.download_receipt": "staff",
    "results.export_receipts": "staff",
    "results.create_workshop_notes": "member",
    "results.share": "member",
    "results.unshare": "member",
    # Shared results: through a board's answer link, and on the public page when chosen
    # (the world shares them with both; tests/views/test_shared_results.py covers the rest).
    "shared_results.for_board": "respondent",
    "shared_results.board_file": "respondent",
    "shared_results.public_results": "public",
    "shared_results.public_file": "public",
    "projects.list_projects": "staff",
    "projects.new_project": "editor",
    "projects.edit_project": "member",
    "projects.show_project": "staff",
    "projects.upload_document": "member",
    "projects.download_document": "staff",
    "projects.public_document": "public",
    "projects.new_meeting": "member",
    "projects.edit_meeting": "member",
    "projects.show_meeting": "staff",
    "projects.meeting_action": "member",
    "projects.meeting_ics_file": "staff",
    "projects.remind_meeting": "member",
    "projects.meeting_participants": "staff",
    "meeting_answer.show": "respondent",
    "projects.edit_notes": "member",
    "projects.notes_history": "staff",
    "projects.restore_notes": "member",
    "projects.new_news": "member",
    "projects.edit_news": "member",
    "projects.upload_meeting_document": "member",
    "projects.public_project": "public",
    "projects.feed": "public",
    "projects.search_view": "staff",
    "respond.show_form": "respondent",
    "respond.save": "respondent",
    "respond.opened": "respondent",
    "respond.check": "respondent",
    "respond.submit": "respondent",
    "respond.done": "respondent",
    "respond.pass_on_view": "respondent",
    "respond.download_file": "respondent",
    "respond.download_receipt": "respondent",
    "respond.show_board": "respondent",
    "respond.save_board": "respondent",
    "respond.check_board": "respondent",
    "respond.submit_board": "respondent",
}


@dataclass
class World:
    """One of everything a URL can point at, and a user for every role."""

    users: dict[str, Any] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)
    # The secret in the URL of token-protected pages, by endpoint; only the "respondent"
    # role holds these, everyone else tries a made-up token.
    tokens: dict[str, str] = field(default_factory=dict)
    # Values that differ for one endpoint, e.g. {"projects.meeting_action": {"action": …}}.
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)


def build_world() -> World:
    world = World()
    for role in ("viewer", "coordinator", "member", "admin"):
        world.users[role] = make_user("coordinator" if role == "member" else role)
    world.ids["user_id"] = world.users["viewer"].id
    world.ids["filename"] = "css/app.css"
    contact = make_contact()
    world.ids["organisation_id"] = contact.organisation_id
    world.ids["contact_id"] = contact.id
    world.ids["network_id"] = make_network(members=[contact]).id
    message = OutboxMessage(
        recipient_email=contact.email, subject="Hej", text_body="Hej", state="failed"
    )
    db.session.add(message)
    db.session.flush()
    world.ids["message_id"] = message.id
    world.tokens["mail.unsubscribe"] = unsubscribe_token(contact)
    world.tokens["mail.unsubscribe_one_click"] = unsubscribe_token(contact)
    survey = make_survey()
    survey.project.visibility = "public"
    survey.project.members = [world.users["member"]]
    world.ids["slug"] = survey.project.slug
    meeting, version = make_meeting(survey.project, world.users["member"])
    world.ids["meeting_id"] = meeting.id
    world.ids["revision_id"] = meeting.revisions[0].id
    world.ids["version_id"] = version.id
    world.ids["news_id"] = make_news(survey.project).id
    invitation, token = make_invitation(survey, contact)
    world.ids["survey_id"] = survey.id
    world.ids["question_id"] = survey.questions[0].id
    world.ids["invitation_id"] = invitation.id
    world.ids["action"] = "resend"
    world.ids["mail_kind"] = "reminder"
    world.overrides["projects.meeting_action"] = {"action": "invite"}
    world.overrides["surveys.mark_coordinated"] = {"action": "set"}
    world.ids["file_id"] = _attached_file(invitation).id
    world.ids["response_id"] = invitation.response.id
    for endpoint in (
        "show_form",
        "save",
        "opened",
        "check",
        "submit",
        "done",
        "pass_on_view",
        "download_file",
        "download_receipt",
        "show_board",
        "save_board",
        "check_board",
        "submit_board",
    ):
        world.tokens[f"respond.{endpoint}"] = token
    world.tokens["shared_results.for_board"] = token
    world.tokens["shared_results.board_file"] = token
    _share_results(survey)
    from coordinator.services.projects.attendance import attendance_for, attendance_token

    world.tokens["meeting_answer.show"] = attendance_token(
        attendance_for(meeting, contact).token_nonce
    )
    reset_user = make_user("viewer")
    world.tokens["auth.reset_password"] = URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt="password-reset"
    ).dumps({"id": reset_user.id, "nonce": reset_user.session_nonce})
    db.session.commit()
    return world


def _attached_file(invitation: Any) -> Any:
    """A file attached to the invitation's response, as a respondent's upload is."""
    from coordinator.models import Answer, AnswerFile
    from coordinator.models.types import utcnow
    from coordinator.services.projects.storage import storage
    from coordinator.services.surveys.responses import get_or_create_response

    response = get_or_create_response(invitation, utcnow())
    data = b"%PDF-1.4 bilaga"
    file = AnswerFile(
        filename="strategi.pdf",
        content_type="application/pdf",
        size=len(data),
        storage_key=storage().save(data),
    )
    response.answers.append(Answer(question_id=invitation.survey.questions[0].id, files=[file]))
    db.session.flush()
    return file


def _share_results(survey: Any) -> None:
    """The survey's results shared with its boards and on the public page, attachments
    included (the attached file's response is submitted)."""
    from datetime import timedelta

    from coordinator.models import Response
    from coordinator.models.types import utcnow
    from coordinator.services.results.sharing import ShareOptions, share_results

    now = utcnow()
    for response in db.session.scalars(db.select(Response).where(Response.survey == survey)):
        response.state = "submitted"
        response.submitted_at = now
    options = ShareOptions(include_attachments=True, on_public_page=True)
    share_results(survey, options, None, now - timedelta(seconds=1))


def rules(app: Flask) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, rule.rule, method))
    return sorted(found)


def test_every_route_has_an_entry(session_app: Flask) -> None:
    endpoints = {endpoint for endpoint, _, _ in rules(session_app)}
    assert sorted(endpoints - MATRIX.keys()) == [], "routes without an entry in MATRIX"
    assert sorted(MATRIX.keys() - endpoints) == [], "MATRIX entries for routes that are gone"


def _url(app: Flask, endpoint: str, world: World, role: str) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {}
    for name in rule.arguments:
        if name == "token":
            real = world.tokens[endpoint]
            values[name] = real if role == "respondent" else "not-a-valid-token-" + "x" * 30
        else:
            assert name in world.ids, f"the world has no value for <{name}> in {rule.rule}"
            values[name] = world.overrides.get(endpoint, {}).get(name, world.ids[name])
    return str(app.url_map.bind("localhost").build(endpoint, values))


def _outcome(response: Any) -> str:
    if response.status_code in (301, 302, 303) and "/login?next=" in (response.location or ""):
        return "login"
    if response.status_code == 403:
        return "forbid"
    if response.status_code == 404:
        return "hidden"
    assert response.status_code < 500 and response.status_code != 405, response.status_code
    return "allow"


def _request(app: Flask, client: FlaskClient, method: str, url: str) -> Any:
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, data={"csrf_token": csrf_token(client, app)})


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_access(session_app: Flask, endpoint: str) -> None:
    level = MATRIX[endpoint]
    for endpoint_, rule, method in rules(session_app):
        if endpoint_ == endpoint:
            _check_route(session_app, endpoint, rule, method, level)


def _check_route(session_app: Flask, endpoint: str, rule: str, method: str, level: str) -> None:
    with session_app.app_context():
        try:
            world = build_world()
            results = {}
            for role in ROLES:
                client = session_app.test_client()
                if role in world.users:
                    login(client, world.users[role])
                url = _url(session_app, endpoint, world, role)
                response = _request(session_app, client, method, url)
                results[role] = _outcome(response)
                response.close()
                limiter.reset()  # rate limits are tested elsewhere
                db.session.rollback()
        finally:
            db.session.remove()
            clean_database(session_app)
    assert results == LEVELS[level], f"{method} {rule}"
