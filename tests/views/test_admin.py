import pytest
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import AuditEvent, User
from tests.factories import make_user
from tests.support import csrf_token, login

ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/audit"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.location.startswith("/login")


@pytest.mark.parametrize("role", ["viewer", "coordinator"])
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_only_admins_manage_accounts(app, client, role, url):
    login(client, make_user(role))
    assert client.get(url).status_code == 403


def test_admin_creates_user_with_error_summary_first(app, client_request):
    admin = make_user("admin")
    login(client_request.client, admin)
    page = client_request.post(
        "/admin/users/new",
        {"email": "not-an-email", "name": "", "role": "viewer", "password": "short"},
        status=200,
    )
    links = [a["href"] for a in page.select(".error-summary a")]
    assert links == ["#name", "#email", "#password"] or set(links) == {
        "#name",
        "#email",
        "#password",
    }
    assert page.find("input", id="email")["value"] == "not-an-email"
    assert (
        client_request.post(
            "/admin/users/new",
            {
                "email": "ny@example.org",
                "name": "Ny Person",
                "role": "viewer",
                "password": "a good password",
                "active": "y",
            },
        )
        == "/admin/users"
    )
    user = db.session.scalar(select(User).where(User.email == "ny@example.org"))
    assert user.role == "viewer"
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == user.id)))
    assert [e.action for e in events] == ["user.create"]
    page = client_request.get("/admin/audit?action=user")
    assert "ny@example.org" in page.get_text()
    page = client_request.get("/admin/audit?object_type=contact")
    assert "ny@example.org" not in page.get_text()


def test_admin_edits_user(app, client_request):
    admin = make_user("admin")
    other = make_user("viewer")
    login(client_request.client, admin)
    assert (
        client_request.post(
            f"/admin/users/{other.id}/edit", {"name": "Nytt Namn", "role": "coordinator"}
        )
        == "/admin/users"
    )
    assert other.role == "coordinator" and other.active is False
    client_request.get("/admin/users/99999/edit", status=404)


def test_post_without_csrf_token_is_refused(app, client):
    admin = make_user("admin")
    login(client, admin)
    response = client.post(
        "/admin/users/new",
        data={"email": "x@example.org", "name": "X", "role": "viewer", "password": "long password"},
    )
    assert response.status_code == 400


def test_personal_data_page_finds_exports_and_erases(app, client_request):
    from coordinator.models import Contact
    from tests.factories import make_contact, make_organisation

    admin = make_user("admin")
    contact = make_contact(
        make_organisation("Länsstyrelsen Skåne", "12"),
        name="Karin Berg",
        email="karin.berg@example.org",
    )
    login(client_request.client, admin)
    page = client_request.get("/admin/personal-data?email=karin.berg@example.org")
    assert "Karin Berg" in page.get_text()
    export = client_request.client.post(
        "/admin/personal-data/export",
        data={
            "csrf_token": csrf_token(client_request.client, app),
            "email": "karin.berg@example.org",
        },
    )
    assert export.status_code == 200 and export.data[:2] == b"PK"
    page = client_request.post(
        "/admin/personal-data/erase", {"email": "karin.berg@example.org"}, status=200
    )
    assert [a["href"] for a in page.select(".error-summary a")] == ["#confirm"]
    assert (
        client_request.post(
            "/admin/personal-data/erase", {"email": "karin.berg@example.org", "confirm": "y"}
        )
        == "/admin/personal-data"
    )
    assert db.session.get(Contact, contact.id).email is None
    page = client_request.get("/admin/personal-data?email=karin.berg@example.org")
    assert "Ingenting finns lagrat" in page.get_text()


def test_personal_data_is_for_admins_only(app, client):
    login(client, make_user("coordinator"))
    assert client.get("/admin/personal-data?email=a@example.org").status_code == 403
