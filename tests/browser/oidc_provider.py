"""A small OpenID Connect provider for the sign-in browser test: the authorization-code flow
that Streamlit's ``st.login`` (Authlib) drives, with an RS256-signed ID token checked against
the provider's JWKS, the nonce echoed and the client id and secret verified.

It signs in whoever ``provider.identity`` names, without a login form (the test is about what
Railyard does with the identity, not about the provider's own page). Threaded, on 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _int_b64(value: int) -> str:
    return _b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@dataclass
class Provider:
    client_id: str = "railyard-test"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    identity: dict = field(default_factory=dict)  # claims of the next sign-in: email, name
    url: str = ""
    tokens_issued: int = 0
    _key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    _codes: dict = field(default_factory=dict)  # code -> (nonce, claims)

    def metadata(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "end_session_endpoint": f"{self.url}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }

    def jwks(self) -> dict:
        numbers = self._key.public_key().public_numbers()
        key = {"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256"}
        return {"keys": [key | {"n": _int_b64(numbers.n), "e": _int_b64(numbers.e)}]}

    def authorize(self, query: dict[str, str]) -> str:
        """Where the browser goes next: back to the app with a one-time code."""
        if query.get("client_id") != self.client_id:
            raise ValueError(f"unknown client_id {query.get('client_id')!r}")
        code = secrets.token_urlsafe(16)
        self._codes[code] = (query.get("nonce"), dict(self.identity))
        sep = "&" if "?" in query["redirect_uri"] else "?"
        return query["redirect_uri"] + sep + urlencode({"code": code, "state": query["state"]})

    def token(self, form: dict[str, str], authorization: str | None) -> dict:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if (client_id, secret) != (self.client_id, self.client_secret):
            raise PermissionError("bad client credentials")
        nonce, claims = self._codes.pop(form["code"])  # one use only
        now = int(time.time())
        payload = claims | {
            "iss": self.url,
            "aud": self.client_id,
            "sub": claims.get("email", "someone"),
            "iat": now,
            "exp": now + 600,
        }
        if nonce:
            payload["nonce"] = nonce
        self.tokens_issued += 1
        return {
            "access_token": secrets.token_urlsafe(16),
            "token_type": "Bearer",
            "expires_in": 600,
            "id_token": self._jwt(payload),
        }

    def _jwt(self, payload: dict) -> str:
        header = {"alg": "RS256", "typ": "JWT", "kid": "k1"}
        signing = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
        signature = self._key.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing}.{_b64(signature)}"


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep the test output clean
            pass

        def _json(self, body: dict, status: int = 200) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/.well-known/openid-configuration":
                self._json(provider.metadata())
            elif parts.path == "/jwks":
                self._json(provider.jwks())
            elif parts.path == "/authorize":
                try:
                    self._redirect(provider.authorize(query))
                except (KeyError, ValueError) as exc:
                    self._json({"error": "invalid_request", "detail": str(exc)}, 400)
            elif parts.path == "/logout":
                target = query.get("post_logout_redirect_uri")
                if target:
                    self._redirect(target)
                else:
                    self._json({"signed_out": True})
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/token":
                self._json({"error": "not_found"}, 404)
                return
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            try:
                self._json(provider.token(form, self.headers.get("Authorization")))
            except PermissionError:
                self._json({"error": "invalid_client"}, 401)
            except KeyError:
                self._json({"error": "invalid_grant"}, 400)

    return Handler


@contextmanager
def running_provider(provider: Provider | None = None) -> Iterator[Provider]:
    provider = provider or Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
