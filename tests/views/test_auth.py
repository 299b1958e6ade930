import pytest

from tests.factories import PASSWORD, make_user
from tests.support import csrf_token, login


def _login_form_token(client):
    page = client.get("/login").get_data(as_text=True)
    marker = 'name="csrf_token" type="hidden" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_login_page_has_labelled_fields(client_request):
    page = client_request.get("/login")
    assert page.find("label", attrs={"for": "email"})
    assert page.find("label", attrs={"for": "password"})
    assert page.find("a", class_="skip-link")["href"] == "#main"


def test_login_and_logout(app, client):
    user = make_user(email="pia@example.org")
    app.extensions["sqlalchemy"].session.commit()
    token = _login_form_token(client)
    response = client.post(
        "/login", data={"csrf_token": token, "email": "pia@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert user.name in client.get("/").get_data(as_text=True)
    response = client.post("/logout", data={"csrf_token": csrf_token(client, app)})
    assert response.status_code == 302
    assert client.get("/admin/users").status_code == 302


def test_wrong_password_and_unknown_email_give_the_same_message(app, client):
    make_user(email="pia@example.org")
    app.extensions["sqlalchemy"].session.commit()
    bodies = []
    for email, password in (
        ("pia@example.org", "wrong password"),
        ("nobody@example.org", "wrong password"),
    ):
        token = _login_form_token(client)
        response = client.post(
            "/login", data={"csrf_token": token, "email": email, "password": password}
        )
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "Fel e-postadress eller lösenord" in body
        assert "<title>Fel: " in body
        bodies.append(body.replace(email, ""))
    assert "error-summary" in bodies[0]


def test_login_without_csrf_token_is_refused(app, client):
    make_user(email="pia@example.org")
    app.extensions["sqlalchemy"].session.commit()
    response = client.post("/login", data={"email": "pia@example.org", "password": PASSWORD})
    assert response.status_code == 400


def test_failed_logins_are_rate_limited(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = []
        for _ in range(5):
            token = _login_form_token(client)
            statuses.append(
                client.post(
                    "/login",
                    data={"csrf_token": token, "email": "x@example.org", "password": "nope nope"},
                ).status_code
            )
        assert statuses[:3] == [200, 200, 200]
        assert statuses[3:] == [429, 429]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "10 per minute; 50 per hour"


def test_next_parameter_cannot_redirect_offsite(app, client):
    make_user(email="pia@example.org")
    app.extensions["sqlalchemy"].session.commit()
    token = _login_form_token(client)
    response = client.post(
        "/login?next=//evil.example.com/x",
        data={"csrf_token": token, "email": "pia@example.org", "password": PASSWORD},
    )
    assert response.location == "/"


@pytest.mark.parametrize("role", ["viewer", "coordinator", "admin"])
def test_change_password(app, client_request, role):
    user = make_user(role)
    app.extensions["sqlalchemy"].session.commit()
    login(client_request.client, user)
    page = client_request.post(
        "/account/password",
        {"current_password": "wrong", "new_password": "x" * 12, "confirm": "y" * 12},
        status=200,
    )
    assert page.find(class_="error-summary")
    assert (
        client_request.post(
            "/account/password",
            {
                "current_password": PASSWORD,
                "new_password": "new password 1",
                "confirm": "new password 1",
            },
        )
        == "/"
    )
    assert client_request.client.get("/").status_code == 200


def test_security_headers(client):
    response = client.get("/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_language_switch_to_english(client_request):
    assert client_request.post("/language", {"lang": "en", "next": "/login"}) == "/login"
    page = client_request.get("/login")
    assert page.html["lang"] == "en"


def test_error_pages_use_the_layout(client_request):
    page = client_request.get("/no-such-page", status=404)
    assert page.find("h1").get_text() == "Sidan finns inte"
    assert page.find("a", class_="skip-link")
