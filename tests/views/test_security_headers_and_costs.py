"""Issue 11, point 16: secret-link pages send no referrer, staff pages are not cached, the
feed's links come from BASE_URL, Markdown rendering is bounded, and the contact form
shows the contact's organisation."""

from __future__ import annotations

import time
from xml.etree import ElementTree as ET

from coordinator.extensions import db
from coordinator.services.accounts.password_reset import reset_token
from coordinator.services.mail.outbox import unsubscribe_token
from tests.factories import make_contact, make_news, make_organisation, make_project, make_user
from tests.support import login


def test_reset_and_unsubscribe_pages_send_no_referrer(app, client):
    user = make_user("viewer")
    contact = make_contact()
    db.session.commit()
    for url in (
        f"/password-reset/{reset_token(user.id, user.session_nonce)}",
        "/password-reset/not-a-token",
        f"/unsubscribe/{unsubscribe_token(contact)}",
    ):
        response = client.get(url)
        assert response.headers["Referrer-Policy"] == "no-referrer", url
        assert response.headers["Cache-Control"] == "no-store", url


def test_every_signed_in_staff_page_is_not_stored(app, client):
    user = make_user("admin")
    contact = make_contact()
    db.session.commit()
    login(client, user)
    for url in ("/", "/contacts", f"/contacts/{contact.id}", "/admin/audit", "/projects"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers.get("Cache-Control") == "no-store", url
    # Public pages signed out may be cached as usual.
    assert app.test_client().get("/login").headers.get("Cache-Control") != "no-store"


def test_feed_links_come_from_base_url_not_the_host_header(app, client):
    project = make_project(slug="flode")
    project.visibility = "public"
    make_news(project)
    db.session.commit()
    base = app.config["BASE_URL"]
    response = client.get("/p/flode/feed.xml", headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert b"evil.example" not in response.data
    root = ET.fromstring(response.data)  # noqa: S314 - our own output
    atom = "{http://www.w3.org/2005/Atom}"
    links = [link.get("href") for link in root.iter(f"{atom}link")]
    assert links and all(href.startswith(base + "/p/flode") for href in links), links


def test_pathological_markdown_on_a_public_page_renders_fast(app, client):
    """100,000 characters of "![" cost seconds to parse; a public page must not pay
    that on every request."""
    project = make_project(slug="tung")
    project.visibility = "public"
    project.purpose = "![" * 10_000
    project.plan = "[" * 25_000
    make_news(project).body = "![" * 20_000
    db.session.commit()
    client.get("/p/tung")  # the first visit may pay once
    started = time.process_time()
    for _ in range(3):
        assert client.get("/p/tung").status_code == 200
    assert time.process_time() - started < 1.0


def test_contact_edit_form_preselects_the_contacts_organisation(app, client, client_request):
    make_organisation("Första")
    org = make_organisation("Länsstyrelsen i Dalarnas län", county_code="20")
    contact = make_contact(org)
    user = make_user("admin")
    db.session.commit()
    login(client, user)
    page = client_request.get(f"/contacts/{contact.id}/edit")
    selected = page.select_one("select[name=organisation] option[selected]")
    assert selected is not None and selected["value"] == str(org.id)
