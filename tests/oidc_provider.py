"""A real OpenID Connect provider on 127.0.0.1 (oidc-provider on Node.js, tests/oidc/).

Use the session fixture `oidc_provider` (import `oidc_provider_fixture` into the test
module or a conftest), or `running_provider(...)` for a provider with other settings.
The provider signs users in on its own page and asks no consent; PKCE with S256 is
required; RP-initiated logout is enabled; a fresh signing key is made at every start.
`OidcProvider.sign_in` and `.sign_out` drive its pages over plain HTTP; in a browser,
fill "E-mail" and "Password" and press "Sign in" (or "Yes, sign me out").

Redirect URIs: a registered http URI on 127.0.0.1 or localhost without a port accepts that
URI on any port, so `http://127.0.0.1/login/oidc/callback` admits the e2e live server's
`http://127.0.0.1:<its port>/login/oidc/callback`, and `http://localhost/...` the Flask
test client's URLs. Anything else must match exactly. CALLBACK_PATH is a guess made
before the sign-in views exist: change it to the real route.

Needs `npm ci --prefix tests/oidc` (and `requests`); without them the tests that use the
fixture are skipped, or fail when CI=true.
"""

from __future__ import annotations

import json
import os
import secrets
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from tests.support import missing

try:
    import requests
except ImportError:  # until the sign-in feature adds it to pyproject.toml
    requests = None  # type: ignore[assignment]

OIDC_DIR = Path(__file__).parent / "oidc"
SCRIPT = OIDC_DIR / "provider.mjs"
START_TIMEOUT = 15.0
# Redirects are followed by hand, to stop at the first one that leaves the provider.
NO_REDIRECT: dict[str, Any] = {"allow_redirects": False, "timeout": 10}

# How the client authenticates at the token endpoint (its token_endpoint_auth_method).
ClientAuth = Literal["client_secret_basic", "client_secret_post"]

CALLBACK_PATH = "/login/oidc/callback"
REDIRECT_URIS = (f"http://127.0.0.1{CALLBACK_PATH}", f"http://localhost{CALLBACK_PATH}")
POST_LOGOUT_REDIRECT_URIS = ("http://127.0.0.1/login", "http://localhost/login")


@dataclass(frozen=True)
class OidcUser:
    email: str
    password: str
    sub: str
    name: str
    email_verified: bool


ANNA = OidcUser(
    email="anna.admin@lansstyrelsen.se",
    password="anna-correct-horse",
    sub="5b0e6c1e-3f4a-4c59-9a8e-2d7f1a0b9c41",
    name="Anna Admin",
    email_verified=True,
)
# The provider does not vouch for his address: the app must not match it to an account.
OLLE = OidcUser(
    email="olle.overifierad@lansstyrelsen.se",
    password="olle-battery-staple",
    sub="c2d9a7f3-81b6-4e0d-b5c4-6f3e9d2a1b07",
    name="Olle Overifierad",
    email_verified=False,
)
USERS = (ANNA, OLLE)


@dataclass(frozen=True)
class OidcProvider:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    users: tuple[OidcUser, ...]
    # Where the provider listens: the issuer's address, unless a proxy stands in front.
    address: str = ""

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def verified_user(self) -> OidcUser:
        return next(u for u in self.users if u.email_verified)

    @property
    def unverified_user(self) -> OidcUser:
        return next(u for u in self.users if not u.email_verified)

    def sign_in(
        self, authorization_url: str, user: OidcUser, http: requests.Session | None = None
    ) -> str:
        """Sign `user` in on the provider's page, as a browser would.

        Returns the URL the provider sends the browser back to: the client's redirect URI
        with `code`, `state` and `iss`, or with `error`. Pass `http` to keep the provider's
        session cookie (for a second sign-in without a password, or a sign-out).
        """
        if http is None:
            with requests.Session() as own:
                return self.sign_in(authorization_url, user, own)
        answer = self._follow(http, http.get(authorization_url, **NO_REDIRECT))
        if isinstance(answer, str):  # still signed in at the provider
            return answer
        form = _form(answer)
        response = http.post(
            urljoin(answer.url, str(form["action"])),
            data={"email": user.email, "password": user.password},
            **NO_REDIRECT,
        )
        answer = self._follow(http, response)
        if not isinstance(answer, str):
            raise AssertionError(f"sign-in as {user.email} failed: {_text(answer)}")
        return answer

    def sign_out(self, end_session_url: str, http: requests.Session) -> str:
        """Confirm RP-initiated logout; returns where the provider sends the browser."""
        answer = self._follow(http, http.get(end_session_url, **NO_REDIRECT))
        if isinstance(answer, str):
            return answer
        form = _form(answer)
        fields = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
        response = http.post(
            urljoin(answer.url, str(form["action"])),
            data={**fields, "logout": "yes"},
            **NO_REDIRECT,
        )
        answer = self._follow(http, response)
        if not isinstance(answer, str):
            raise AssertionError(f"sign-out did not redirect: {_text(answer)}")
        return answer

    def _follow(
        self, http: requests.Session, response: requests.Response
    ) -> str | requests.Response:
        """Follow redirects within the provider: the first URL outside it, or the page."""
        while response.is_redirect:
            location = urljoin(response.url, response.headers["location"])
            if not location.startswith(f"{self.issuer}/"):
                return location
            response = http.get(location, **NO_REDIRECT)
        return response


def _form(response: requests.Response) -> Any:
    form = BeautifulSoup(response.text, "html.parser").find("form")
    if form is None:
        raise AssertionError(f"no form at {response.url}: {_text(response)}")
    return form


def _text(response: requests.Response) -> str:
    page = BeautifulSoup(response.text, "html.parser")
    return f"{response.status_code} {page.get_text(' ', strip=True)[:500]}"


def _wait_for_ready(process: subprocess.Popen[str], log: Path) -> tuple[str, str]:
    """The issuer and the address from the provider's `READY <issuer> <address>` line;
    fails with its log if none."""
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT
    while (remaining := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([process.stdout], [], [], remaining)
        if not ready:
            break
        line = process.stdout.readline()
        if line.startswith("READY "):
            _, issuer, address = line.split()
            return issuer, address
        if not line:  # the process exited
            break
    process.kill()
    process.wait()
    pytest.fail(f"the OIDC provider did not start:\n{log.read_text()}", pytrace=False)


@contextmanager
def running_provider(
    redirect_uris: Sequence[str] = REDIRECT_URIS,
    post_logout_redirect_uris: Sequence[str] = POST_LOGOUT_REDIRECT_URIS,
    users: Sequence[OidcUser] = USERS,
    auth_method: ClientAuth = "client_secret_basic",
    issuer: str | None = None,
    signing_key: dict[str, Any] | None = None,
) -> Iterator[OidcProvider]:
    """Start tests/oidc/provider.mjs on a free port; stop it on leaving.

    `issuer` announces another address (a proxy in front of the provider); `signing_key`
    (a private JWK) is the key the provider signs with, so a test can sign tokens too.
    """
    node = shutil.which("node")
    if node is None:
        missing("node is not installed (Node.js 20.19 or later)")
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        missing("oidc-provider is not installed (npm ci --prefix tests/oidc)")
    if requests is None:
        missing("requests is not installed (pip install requests)")
    client_id, client_secret = "coordinator", secrets.token_urlsafe(24)
    env = {
        **os.environ,
        "OIDC_PORT": "0",
        "OIDC_CLIENT_ID": client_id,
        "OIDC_CLIENT_SECRET": client_secret,
        "OIDC_REDIRECT_URIS": " ".join(redirect_uris),
        "OIDC_POST_LOGOUT_REDIRECT_URIS": " ".join(post_logout_redirect_uris),
        "OIDC_TOKEN_ENDPOINT_AUTH_METHOD": auth_method,
        "OIDC_USERS": json.dumps([asdict(u) for u in users]),
        "OIDC_EXIT_WITH_STDIN": "1",
        **({"OIDC_ISSUER": issuer} if issuer else {}),
        **({"OIDC_SIGNING_KEY": json.dumps(signing_key)} if signing_key else {}),
    }
    with tempfile.TemporaryDirectory(prefix="oidc-provider-") as tmp:
        log = Path(tmp) / "provider.log"
        with log.open("w") as stderr:
            process = subprocess.Popen(
                [str(node), str(SCRIPT)],
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        try:
            issuer, address = _wait_for_ready(process, log)
            yield OidcProvider(
                issuer=issuer,
                address=address,
                client_id=client_id,
                client_secret=client_secret,
                redirect_uris=tuple(redirect_uris),
                post_logout_redirect_uris=tuple(post_logout_redirect_uris),
                users=tuple(users),
            )
        finally:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()


@pytest.fixture(scope="session", name="oidc_provider")
def oidc_provider_fixture() -> Iterator[OidcProvider]:
    """Named apart from the fixture, so that importing it shadows no test argument."""
    with running_provider() as provider:
        yield provider
