"""The OpenID Connect client (Authlib), set up from the OIDC_* settings.

Authlib does the protocol: discovery, the authorization code flow with PKCE (S256), the
`state` kept in the session and used once, the `nonce`, and the ID token's signature from
the provider's JWKS, issuer, audience and expiry (joserfc underneath). The client is made
once per app and setting, and fetches the provider's metadata on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authlib.integrations.flask_client import OAuth, OAuthError
from flask import current_app, url_for
from joserfc.errors import JoseError
from requests import RequestException

NAME = "idp"
# What may go wrong between the provider's answer and validated claims.
SIGN_IN_ERRORS = (OAuthError, JoseError, RequestException, ValueError, KeyError)


class ProviderError(Exception):
    """The provider's answer cannot be trusted or used."""


def _settings() -> tuple[str, str, str, str]:
    config = current_app.config
    return (
        config["OIDC_ISSUER"],
        config["OIDC_CLIENT_ID"],
        config["OIDC_CLIENT_SECRET"],
        config["OIDC_SCOPES"],
    )


def client() -> Any:
    """The Authlib client for the configured provider."""
    clients: dict[tuple[str, ...], Any] = current_app.extensions.setdefault("coordinator.oidc", {})
    key = _settings()
    if key not in clients:
        issuer, client_id, client_secret, scopes = key
        oauth = OAuth(current_app)
        clients.clear()
        clients[key] = oauth.register(
            NAME,
            client_id=client_id,
            client_secret=client_secret,
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={
                "scope": scopes,
                "code_challenge_method": "S256",
                "default_timeout": 10,
            },
        )
    return clients[key]


def metadata() -> Mapping[str, Any]:
    """The provider's discovery document, checked to be about the configured issuer."""
    data = client().load_server_metadata()
    if data.get("issuer", "").rstrip("/") != current_app.config["OIDC_ISSUER"]:
        raise ProviderError("the discovery document names another issuer")
    return data


def callback_url() -> str:
    """The redirect URI to register at the provider."""
    return current_app.config["BASE_URL"] + url_for("sso.callback")


def post_logout_url() -> str:
    return current_app.config["BASE_URL"] + url_for("auth.login")


def authorization_redirect() -> Any:
    metadata()
    return client().authorize_redirect(callback_url())


def validated_claims() -> dict[str, Any]:
    """The ID token's claims after every check; raises ProviderError otherwise."""
    issuer, client_id, _, _ = _settings()
    try:
        metadata()
        token = client().authorize_access_token(
            claims_options={
                "iss": {"essential": True, "values": [issuer]},
                "aud": {"essential": True, "values": [client_id]},
            },
            leeway=current_app.config["OIDC_CLOCK_SKEW_SECONDS"],
        )
    except SIGN_IN_ERRORS as error:
        raise ProviderError(f"{type(error).__name__}: {error}") from error
    userinfo = token.get("userinfo")
    if not userinfo:
        raise ProviderError("no ID token in the token response")
    return dict(userinfo)


def end_session_url() -> str | None:
    """Where to send the browser to end the session at the provider as well (RP-initiated
    logout), or None when the provider offers no end_session_endpoint."""
    try:
        if not metadata().get("end_session_endpoint"):
            return None
        logout = client().create_logout_url(
            post_logout_redirect_uri=post_logout_url(),
            client_id=current_app.config["OIDC_CLIENT_ID"],
        )
    except (ProviderError, RequestException, RuntimeError):
        return None
    return str(logout["url"])
