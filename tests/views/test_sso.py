"""Single sign-on over HTTP against a real OpenID Connect provider (tests/oidc/), reached
through a proxy that can swap the ID token for a forged, expired or misaddressed one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import AuditEvent, User
from tests.factories import make_user
from tests.oidc_provider import ANNA, OLLE, OidcProvider, OidcUser
from tests.support import csrf_token, missing

try:
    import requests

    from tests.oidc_proxy import (
        TamperingProxy,
        expired_claims,
        provider_behind_proxy,
        remint,
        signing_key,
    )
except ImportError as error:  # the sign-in libraries are missing
    LIBRARY_MISSING: str | None = f"{error.name} is not installed (pip install -e '.[dev]')"
else:
    LIBRARY_MISSING = None

CALLBACK = "http://localhost/login/oidc/callback"


@pytest.fixture(scope="module")
def idp() -> Iterator[tuple[OidcProvider, Any, Any]]:
    if LIBRARY_MISSING:
        missing(LIBRARY_MISSING)
    with provider_behind_proxy() as running:
        yield running


@pytest.fixture
def provider(idp: tuple[OidcProvider, Any, Any]) -> OidcProvider:
    return idp[0]


@pytest.fixture
def proxy(idp: tuple[OidcProvider, Any, Any]) -> Iterator[TamperingProxy]:
    yield idp[1]
    idp[1].replace_id_token = None


@pytest.fixture
def provider_key(idp: tuple[OidcProvider, Any, Any]) -> Any:
    return idp[2]


@pytest.fixture
def sso_app(app: Flask, provider: OidcProvider) -> Iterator[Flask]:
    """The app with single sign-on at the test provider; settings restored afterwards."""
    settings = {
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": provider.client_id,
        "OIDC_CLIENT_SECRET": provider.client_secret,
        "OIDC_ALLOWED_DOMAINS": [],
        "OIDC_CREATE_VIEWERS": False,
        "PASSWORD_LOGIN": True,
    }
    saved = {name: app.config[name] for name in settings}
    app.config.update(settings)
    yield app
    app.config.update(saved)


def start(client: FlaskClient, next_url: str = "") -> str:
    response = client.get("/login/oidc" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.get_data(as_text=True)
    return str(response.location)


def sign_in(
    client: FlaskClient,
    provider: OidcProvider,
    user: OidcUser = ANNA,
    http: Any = None,
    next_url: str = "",
) -> Any:
    """The whole round trip; returns the app's answer to the provider's redirect."""
    callback = provider.sign_in(start(client, next_url), user, http)
    assert callback.startswith(f"{CALLBACK}?"), callback
    return client.get(callback.removeprefix("http://localhost"))


def signed_in_as(client: FlaskClient) -> str | None:
    with client.session_transaction() as session:
        user_id = session.get("_user_id")
    if not user_id:
        return None
    return db.session.get(User, int(user_id.partition(":")[0])).email  # type: ignore[union-attr]


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_login_page_offers_the_provider(sso_app, client_request):
    sso_app.config["OIDC_BUTTON_LABEL"] = "Logga in med Länsstyrelsens konto"
    try:
        page = client_request.get("/login?next=/surveys")
    finally:
        sso_app.config["OIDC_BUTTON_LABEL"] = ""
    link = page.find("a", string="Logga in med Länsstyrelsens konto")
    assert link["href"] == "/login/oidc?next=/surveys"
    assert page.find("input", attrs={"name": "password"})


def test_the_authorization_request_uses_pkce_state_and_nonce(sso_app, client, provider):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [provider.client_id]
    assert query["redirect_uri"] == [CALLBACK]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 20 and len(query["nonce"][0]) >= 20


def test_a_verified_address_signs_in_to_its_account_and_remembers_the_subject(
    sso_app, client, provider
):
    user = make_user("admin", email=ANNA.email, name="Anna Admin")
    db.session.commit()
    with client.session_transaction() as session:
        session["lang"] = "en"

    response = sign_in(client, provider, next_url="/surveys")

    assert response.status_code == 302 and response.location == "/surveys"
    assert signed_in_as(client) == ANNA.email
    assert "Anna Admin" in client.get("/").get_data(as_text=True)
    db.session.refresh(user)
    assert (user.sso_issuer, user.sso_subject) == (provider.issuer, ANNA.sub)
    assert user.last_login_at is not None
    assert [e.details for e in events("user.login")] == [{"method": "sso"}]
    assert len(events("user.sso_link")) == 1
    with client.session_transaction() as session:
        assert session["lang"] == "en"  # kept from before
        assert session.permanent  # the idle timeout applies


def test_the_session_is_renewed_at_sign_in(sso_app, client, provider):
    make_user("viewer", email=ANNA.email)
    db.session.commit()
    authorization_url = start(client)
    with client.session_transaction() as session:
        session["planted"] = "by someone who fixed the session beforehand"
    callback = provider.sign_in(authorization_url, ANNA)
    client.get(callback.removeprefix("http://localhost"))
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"]


def test_an_sso_viewer_meets_the_same_authorisation_as_a_password_viewer(sso_app, client, provider):
    make_user("viewer", email=ANNA.email)
    db.session.commit()
    sign_in(client, provider)
    assert client.get("/surveys").status_code == 200
    assert client.get("/admin/users").status_code == 403
    assert client.get("/surveys/new").status_code == 403


def test_an_unverified_address_is_not_matched_to_its_account(sso_app, client, provider):
    make_user("admin", email=OLLE.email)
    db.session.commit()
    response = sign_in(client, provider, OLLE)
    assert response.status_code == 403
    assert "inte bekräftat din e-postadress" in response.get_data(as_text=True)
    assert signed_in_as(client) is None


def test_an_allowed_domain_vouches_for_an_unverified_address(sso_app, client, provider):
    sso_app.config["OIDC_ALLOWED_DOMAINS"] = ["lansstyrelsen.se"]
    make_user("coordinator", email=OLLE.email)
    db.session.commit()
    assert sign_in(client, provider, OLLE).status_code == 302
    assert signed_in_as(client) == OLLE.email


def test_an_unknown_address_gets_no_account(sso_app, client, provider):
    response = sign_in(client, provider)
    assert response.status_code == 403
    assert f"Det finns inget konto för {ANNA.email}" in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_the_operator_may_let_allowed_domains_in_as_viewers(sso_app, client, provider):
    sso_app.config.update(OIDC_ALLOWED_DOMAINS=["lansstyrelsen.se"], OIDC_CREATE_VIEWERS=True)
    assert sign_in(client, provider).status_code == 302
    user = db.session.scalar(select(User))
    assert (user.email, user.name, user.role) == (ANNA.email, ANNA.name, "viewer")
    assert not user.has_password and user.sso_subject == ANNA.sub
    assert events("user.create")


def test_a_changed_subject_is_refused(sso_app, client, provider):
    user = make_user("admin", email=ANNA.email)
    user.sso_issuer, user.sso_subject = provider.issuer, "the-subject-she-had-before"
    db.session.commit()
    response = sign_in(client, provider)
    assert response.status_code == 403
    assert "annan identitet" in response.get_data(as_text=True)
    assert signed_in_as(client) is None
    assert [e.object_id for e in events("user.sso_refused")] == [user.id]


def test_an_inactive_account_cannot_sign_in(sso_app, client, provider):
    make_user("admin", email=ANNA.email, active=False)
    db.session.commit()
    assert sign_in(client, provider).status_code == 403
    assert signed_in_as(client) is None


def test_a_replayed_state_is_refused(sso_app, client, provider, app):
    make_user("admin", email=ANNA.email)
    db.session.commit()
    callback = provider.sign_in(start(client), ANNA).removeprefix("http://localhost")
    with client.session_transaction() as session:
        cookie_before = dict(session)
    assert client.get(callback).status_code == 302

    again = client.get(callback)  # the state was used up
    assert again.status_code == 400

    # The session as it was before the callback, played back with the same answer: the
    # state matches, but the provider gives nothing for a code used once.
    other = app.test_client()
    with other.session_transaction() as session:
        session.update(cookie_before)
    assert other.get(callback).status_code == 400
    assert signed_in_as(other) is None

    assert app.test_client().get(callback).status_code == 400  # no state at all


@pytest.mark.parametrize(
    "case",
    ["forged signature", "other audience", "expired", "other issuer", "other nonce"],
)
def test_an_id_token_that_fails_validation_is_refused(
    sso_app, client, provider, proxy, provider_key, case
):
    make_user("admin", email=ANNA.email)
    db.session.commit()
    attacker = signing_key(provider_key.kid)
    changes: dict[str, dict[str, Any]] = {
        "forged signature": {"sign_with": attacker},
        "other audience": {"aud": "another-client"},
        "expired": expired_claims(),
        "other issuer": {"iss": "http://127.0.0.1:9"},
        "other nonce": {"nonce": "a-nonce-from-another-sign-in"},
    }
    proxy.replace_id_token = lambda token: remint(token, provider_key, **changes[case])

    response = sign_in(client, provider)

    assert response.status_code == 400
    assert "kunde inte godtas" in response.get_data(as_text=True)
    assert signed_in_as(client) is None


def test_the_proxy_passes_a_reminted_but_unchanged_token(
    sso_app, client, provider, proxy, provider_key
):
    """The check above fails for the change made, not for the re-signing itself."""
    make_user("admin", email=ANNA.email)
    db.session.commit()
    proxy.replace_id_token = lambda token: remint(token, provider_key)
    assert sign_in(client, provider).status_code == 302


def test_logout_ends_the_provider_session_too(sso_app, client, provider):
    make_user("admin", email=ANNA.email)
    db.session.commit()
    with requests.Session() as browser:
        sign_in(client, provider, http=browser)
        response = client.post("/logout", data={"csrf_token": csrf_token(client, sso_app)})

        assert response.location.startswith(f"{provider.issuer}/session/end?")
        query = parse_qs(urlsplit(response.location).query)
        assert query["client_id"] == [provider.client_id]
        assert query["post_logout_redirect_uri"] == ["http://localhost/login"]
        back = provider.sign_out(response.location, browser)
        assert back.startswith("http://localhost/login?")
        assert signed_in_as(client) is None

        # Signed out at the provider too: it asks for the password again.
        forgetful = OidcUser(**{**ANNA.__dict__, "password": "not-hers"})
        with pytest.raises(AssertionError, match="Wrong e-mail or password"):
            sign_in(client, provider, forgetful, http=browser)


def test_password_login_can_be_switched_off(sso_app, client_request, client, provider):
    user = make_user("admin", email=ANNA.email)
    db.session.commit()
    sso_app.config["PASSWORD_LOGIN"] = False
    page = client_request.get("/login")
    assert page.find("a", href="/login/oidc")
    assert page.find("input", attrs={"name": "password"}) is None
    for url in ("/password-reset", "/account/password", "/login/two-factor"):
        assert client.get(url).status_code == 404, url
    assert client_request.post("/login", {"email": user.email, "password": "x"}, status=404)
    assert sign_in(client, provider).status_code == 302
    assert client.get("/account/two-factor").status_code == 404
