"""A man in the middle between Coordinator and the test OpenID Connect provider.

The provider announces the proxy's address as its issuer, so Coordinator reaches every
endpoint through it. Requests pass unchanged, except that a test may replace the ID token
in the token endpoint's answer (`replace_id_token`): a forged token, one for another
audience, an expired one. The provider signs with a key the test holds (`provider_key`),
so a replaced token can be as valid as the provider's own but for the one claim changed.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.oidc_provider import OidcProvider, running_provider

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


def signing_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256", "use": "sig"})


class TamperingProxy:
    def __init__(self) -> None:
        self.upstream = ""
        self.replace_id_token: Callable[[str], str] | None = None
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                proxy.forward(self)

            def do_POST(self) -> None:
                proxy.forward(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def forward(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else None
        # The Host header passes unchanged: the provider builds its links from it.
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP}
        answer = requests.request(
            handler.command,
            self.upstream + handler.path,
            headers=headers,
            data=body,
            allow_redirects=False,
            timeout=10,
        )
        content = answer.content
        if handler.path == "/token" and answer.ok and self.replace_id_token is not None:
            token = answer.json()
            token["id_token"] = self.replace_id_token(token["id_token"])
            content = json.dumps(token).encode()
        handler.send_response(answer.status_code)
        for name, value in answer.raw.headers.items():
            if name.lower() not in HOP_BY_HOP | {"content-encoding"}:
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(content)))
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(content)

    def __enter__(self) -> TamperingProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@contextmanager
def provider_behind_proxy() -> Iterator[tuple[OidcProvider, TamperingProxy, RSAKey]]:
    key = signing_key("provider-key")
    with (
        TamperingProxy() as proxy,
        running_provider(issuer=proxy.url, signing_key=key.as_dict(private=True)) as provider,
    ):
        proxy.upstream = provider.address
        yield provider, proxy, key


def remint(id_token: str, key: RSAKey, sign_with: RSAKey | None = None, **claims: Any) -> str:
    """The ID token with `claims` changed, signed with `sign_with` (default: `key`)."""
    decoded = jwt.decode(id_token, key)
    signer = sign_with or key
    header = {"alg": "RS256", "kid": key.kid}
    return jwt.encode(header, {**decoded.claims, **claims}, signer)


def expired_claims() -> dict[str, int]:
    now = int(time.time())
    return {"iat": now - 3 * 3600, "exp": now - 2 * 3600}
