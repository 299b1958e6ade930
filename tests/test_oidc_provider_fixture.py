"""The test OpenID Connect provider works as a real one, without Coordinator: discovery,
JWKS, the authorization code flow with PKCE through its own sign-in page, ID tokens that
Authlib accepts, and RP-initiated logout."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.oidc_provider import (
    ClientAuth,
    OidcProvider,
    OidcUser,
    oidc_provider_fixture,  # noqa: F401  (the fixture oidc_provider)
    running_provider,
)
from tests.support import missing

try:
    import requests
    from authlib.common.security import generate_token
    from authlib.integrations.requests_client import OAuth2Session, OAuthError
    from authlib.oidc.core import CodeIDToken
    from joserfc import jwt
    from joserfc.jwk import KeySet
except ImportError as error:  # until the sign-in feature adds authlib to pyproject.toml
    LIBRARY_MISSING: str | None = f"{error.name} is not installed (pip install authlib requests)"
else:
    LIBRARY_MISSING = None

# Any port: the provider accepts a port-less loopback redirect URI on every port. Nothing
# listens here; the tests read the code from the URL the provider redirects to.
CALLBACK = "http://127.0.0.1:9/login/oidc/callback"


@pytest.fixture(autouse=True)
def _libraries() -> None:
    if LIBRARY_MISSING:
        missing(LIBRARY_MISSING)


@pytest.fixture(scope="module")
def metadata(oidc_provider: OidcProvider) -> dict[str, Any]:
    response = requests.get(oidc_provider.discovery_url, timeout=5)
    response.raise_for_status()
    return dict(response.json())


class Flow:
    """One authorization code flow with PKCE and a nonce, as Coordinator will run it."""

    def __init__(
        self,
        provider: OidcProvider,
        metadata: dict[str, Any],
        auth_method: ClientAuth = "client_secret_basic",
    ) -> None:
        self.provider = provider
        self.metadata = metadata
        self.verifier = generate_token(48)
        self.nonce = generate_token(20)
        self.client = OAuth2Session(
            provider.client_id,
            provider.client_secret,
            scope="openid email profile",
            redirect_uri=CALLBACK,
            code_challenge_method="S256",
            token_endpoint_auth_method=auth_method,
        )
        self.url, self.state = self.client.create_authorization_url(
            metadata["authorization_endpoint"], code_verifier=self.verifier, nonce=self.nonce
        )

    def token(self, callback: str) -> dict[str, Any]:
        return dict(
            self.client.fetch_token(
                self.metadata["token_endpoint"],
                authorization_response=callback,
                code_verifier=self.verifier,
            )
        )

    def id_token_claims(self, token: dict[str, Any]) -> CodeIDToken:
        """The ID token's claims, checked as Authlib's own OpenID client checks them."""
        jwks = requests.get(self.metadata["jwks_uri"], timeout=5).json()
        decoded = jwt.decode(token["id_token"], KeySet.import_key_set(jwks), algorithms=["RS256"])
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "values": [self.provider.issuer]},
                "aud": {"essential": True, "values": [self.provider.client_id]},
            },
            {
                "nonce": self.nonce,
                "client_id": self.provider.client_id,
                "access_token": token["access_token"],
            },
        )
        claims.validate()
        return claims


def sign_in(provider: OidcProvider, metadata: dict[str, Any], user: OidcUser) -> CodeIDToken:
    flow = Flow(provider, metadata)
    callback = provider.sign_in(flow.url, user)
    return flow.id_token_claims(flow.token(callback))


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_discovery_and_jwks(oidc_provider: OidcProvider, metadata: dict[str, Any]) -> None:
    issuer = oidc_provider.issuer
    assert metadata["issuer"] == issuer
    assert metadata["authorization_endpoint"] == f"{issuer}/auth"
    assert metadata["end_session_endpoint"] == f"{issuer}/session/end"
    assert metadata["response_types_supported"] == ["code"]
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert {"openid", "email", "profile"} <= set(metadata["scopes_supported"])
    assert {"email", "email_verified", "name"} <= set(metadata["claims_supported"])

    (key,) = requests.get(metadata["jwks_uri"], timeout=5).json()["keys"]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert key["kid"]
    assert "d" not in key  # the public half only


def test_code_flow_with_pkce_gives_an_id_token_that_authlib_accepts(
    oidc_provider: OidcProvider,
    metadata: dict[str, Any],
) -> None:
    user = oidc_provider.verified_user
    flow = Flow(oidc_provider, metadata)
    assert query(flow.url)["code_challenge_method"] == "S256"

    callback = oidc_provider.sign_in(flow.url, user)

    assert callback.startswith(f"{CALLBACK}?")
    answer = query(callback)
    assert answer["state"] == flow.state
    assert answer["iss"] == oidc_provider.issuer  # RFC 9207
    claims = flow.id_token_claims(flow.token(callback))
    assert claims["sub"] == user.sub
    assert claims["email"] == "anna.admin@lansstyrelsen.se"
    assert claims["email_verified"] is True
    assert claims["name"] == user.name


def test_unverified_user_has_email_verified_false(
    oidc_provider: OidcProvider,
    metadata: dict[str, Any],
) -> None:
    user = oidc_provider.unverified_user
    claims = sign_in(oidc_provider, metadata, user)
    assert (claims["sub"], claims["email"]) == (user.sub, user.email)
    assert claims["email_verified"] is False


def test_the_client_may_send_its_secret_in_the_body_instead() -> None:
    with running_provider(auth_method="client_secret_post") as provider:
        metadata = requests.get(provider.discovery_url, timeout=5).json()
        flow = Flow(provider, metadata, auth_method="client_secret_post")
        callback = provider.sign_in(flow.url, provider.verified_user)
        assert flow.id_token_claims(flow.token(callback))["email_verified"] is True


def test_a_wrong_password_shows_the_sign_in_page_again(
    oidc_provider: OidcProvider,
    metadata: dict[str, Any],
) -> None:
    wrong = replace(oidc_provider.verified_user, password="not-hers")
    with pytest.raises(AssertionError, match="Wrong e-mail or password"):
        oidc_provider.sign_in(Flow(oidc_provider, metadata).url, wrong)


def test_the_code_is_worthless_without_the_verifier(
    oidc_provider: OidcProvider,
    metadata: dict[str, Any],
) -> None:
    flow = Flow(oidc_provider, metadata)
    callback = oidc_provider.sign_in(flow.url, oidc_provider.verified_user)
    flow.verifier = generate_token(48)
    with pytest.raises(OAuthError, match="invalid_grant"):
        flow.token(callback)


def test_pkce_is_required(oidc_provider: OidcProvider, metadata: dict[str, Any]) -> None:
    params = {
        "client_id": oidc_provider.client_id,
        "response_type": "code",
        "scope": "openid email",
        "redirect_uri": CALLBACK,
        "state": "s",
    }
    response = requests.get(
        f"{metadata['authorization_endpoint']}?{urlencode(params)}",
        allow_redirects=False,
        timeout=5,
    )
    assert response.is_redirect
    answer = query(response.headers["location"])
    assert answer["error"] == "invalid_request"
    assert "PKCE" in answer["error_description"]


def test_only_the_registered_callback_path_is_accepted(
    oidc_provider: OidcProvider,
    metadata: dict[str, Any],
) -> None:
    flow = Flow(oidc_provider, metadata)
    url = flow.url.replace("%2Flogin%2Foidc%2Fcallback", "%2Felsewhere")
    response = requests.get(url, allow_redirects=False, timeout=5)
    assert response.status_code == 400
    assert "invalid_redirect_uri" in response.text


def test_rp_initiated_logout_returns_to_the_client_and_ends_the_session(
    oidc_provider: OidcProvider,
    metadata: dict[str, Any],
) -> None:
    with requests.Session() as http:
        user = oidc_provider.verified_user
        flow = Flow(oidc_provider, metadata)
        token = flow.token(oidc_provider.sign_in(flow.url, user, http))
        forgetful = replace(user, password="not-hers")
        # Signed in at the provider: another sign-in asks for no password.
        assert "code" in query(
            oidc_provider.sign_in(Flow(oidc_provider, metadata).url, forgetful, http)
        )

        params = {
            "id_token_hint": token["id_token"],
            "post_logout_redirect_uri": "http://127.0.0.1:9/login",
            "state": "bye",
        }
        back = oidc_provider.sign_out(
            f"{metadata['end_session_endpoint']}?{urlencode(params)}", http
        )

        assert back == "http://127.0.0.1:9/login?state=bye"
        with pytest.raises(AssertionError, match="Wrong e-mail or password"):
            oidc_provider.sign_in(Flow(oidc_provider, metadata).url, forgetful, http)
