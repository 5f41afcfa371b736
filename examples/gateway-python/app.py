"""An example passkey gateway: Flask in front of passkeyd.

The gateway owns users and credential records (SQLite) and the browser session; passkeyd writes the options, mints
the challenges, verifies the ceremonies and checks that each challenge is answered once, by the session and for the
user it was issued to. The gateway keeps no challenge state at all. See README.md beside this file.

    python app.py --passkeyd-socket /tmp/passkeyd.sock --database /tmp/gateway.db --port 8000
"""
import argparse
import base64
import binascii
import hashlib
import json
import os
import secrets
import threading

from flask import Flask, jsonify, render_template, request, session

from passkeyd_client import Client, PasskeydError, policy
from store import Store

MAX_USERNAME = 64


class GatewayError(Exception):
    """A refusal the gateway answers as ``{"ok": false, "error": code, "message": ...}`` with an HTTP status."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text):
    if not isinstance(text, str) or len(text) > 2048:
        raise GatewayError(400, "BAD_REQUEST", "credential id must be base64url text")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, binascii.Error):
        raise GatewayError(400, "BAD_REQUEST", "credential id must be base64url text") from None


class Passkeyd:
    """One connection to passkeyd shared by the request threads (the client serialises calls), reopened once if the
    daemon dropped it. A verify retried after its first try reached passkeyd is CHALLENGE_REUSED: it fails closed,
    and the user starts the ceremony again."""

    def __init__(self, unix_socket):
        self._socket = unix_socket
        self._client = None
        self._lock = threading.Lock()

    def call(self, method, *args, **kwargs):
        for attempt in (1, 2):
            client = None
            try:
                with self._lock:
                    if self._client is None:
                        self._client = Client(unix_socket=self._socket, timeout=10)
                    client = self._client
                return getattr(client, method)(*args, **kwargs)
            except OSError:  # not listening, or the connection dropped (ConnectionError, timeouts)
                with self._lock:
                    if client is not None and self._client is client:
                        client.close()
                        self._client = None
                if attempt == 2:
                    raise GatewayError(503, "PASSKEYD_UNAVAILABLE", "passkeyd cannot be reached") from None
            except PasskeydError as e:
                # Request-level: overloaded, shutting down, an unreachable replay store, ...
                raise GatewayError(503, e.code.name, e.message) from None


def checked(result):
    """A passkeyd verdict that is not ok becomes the gateway's refusal, with passkeyd's code (its proto name, e.g.
    ORIGIN_MISMATCH) and message."""
    if not result.ok:
        raise GatewayError(400, result.error.name, result.message)
    return result


def create_app(*, passkeyd_socket, database, relying_parties=("example",), secret_key=None):
    """``relying_parties``: names configured in passkeyd's config file; the first is the default, the others can be
    picked by the page (to show per-party policies side by side)."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_bytes(32),
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    store = Store(database)
    daemon = Passkeyd(passkeyd_socket)
    parties = list(relying_parties)

    @app.errorhandler(GatewayError)
    def refused(e):
        return jsonify(ok=False, error=e.code, message=e.message), e.status

    def body():
        # JSON only: a cross-site form cannot send application/json without a CORS preflight we never answer.
        if not request.is_json:
            raise GatewayError(415, "BAD_REQUEST", "send application/json")
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise GatewayError(400, "BAD_REQUEST", "the body must be a JSON object")
        return data

    def session_id():
        if "sid" not in session:
            session["sid"] = secrets.token_urlsafe(16)
        return session["sid"]

    def relying_party(data):
        name = data.get("relying_party") or parties[0]
        if name not in parties:
            raise GatewayError(400, "BAD_REQUEST", "unknown relying party")
        return name

    def username_of(data, required):
        name = data.get("username") or ""
        if not isinstance(name, str) or len(name) > MAX_USERNAME or (name and not name.isprintable()):
            raise GatewayError(400, "BAD_REQUEST", f"a username is printable text of at most {MAX_USERNAME} characters")
        name = name.strip()
        if required and not name:
            raise GatewayError(400, "BAD_REQUEST", "a username is required")
        return name

    def may_register(username):
        # A username that already has passkeys is someone's account: only its signed-in owner adds passkeys to it.
        if store.credentials_of(username) and session.get("user") != username:
            raise GatewayError(409, "USERNAME_TAKEN", "this username is taken; sign in to add a passkey to it")

    def context(rp_name, ceremony, username):
        # What passkeyd binds the challenge to: this browser session, the relying party the options were made for
        # and the username they were made for ("" for a usernameless login). A response carried into another
        # session, or posted for another user, is CHALLENGE_REBOUND.
        parts = [b"passkeyd-example-gateway/1", rp_name.encode(), ceremony, session_id().encode(), username.encode()]
        return hashlib.sha256(b"\0".join(parts)).digest()

    def credential_json(data):
        cred = data.get("credential")
        if not isinstance(cred, dict) or not isinstance(cred.get("rawId"), str):
            raise GatewayError(400, "BAD_REQUEST", "credential must be PublicKeyCredential.toJSON()")
        return cred, json.dumps(cred, separators=(",", ":"))

    def described(c):
        return {
            "id": b64u(c["id"]), "algorithm": c["algorithm"], "sign_count": c["sign_count"], "format": c["format"],
            "transports": c["transports"], "discoverable": None if c["discoverable"] is None else bool(c["discoverable"]),
            "backup_eligible": c["backup_eligible"], "aaguid": c["aaguid"].hex(), "created_at": c["created_at"],
            "last_used_at": c["last_used_at"],
        }

    @app.get("/")
    def index():
        session_id()
        return render_template("index.html", relying_parties=parties)

    @app.get("/session")
    def whoami():
        user = session.get("user")
        creds = [described(c) for c in store.credentials_of(user)] if user else []
        return jsonify(ok=True, user=user, credentials=creds)

    @app.post("/register/options")
    def register_options():
        data = body()
        rp_name, username = relying_party(data), username_of(data, True)
        may_register(username)
        handle = store.add_user(username, secrets.token_bytes(32))
        existing = [(c["id"], c["transports"]) for c in store.credentials_of(username)]
        r = checked(daemon.call(
            "generate_registration_options", policy(relying_party=rp_name), handle, username, username,
            exclude_credentials=existing, context=context(rp_name, b"register", username)))
        return jsonify(ok=True, options=r.options)

    @app.post("/register/verify")
    def register_verify():
        data = body()
        rp_name, username = relying_party(data), username_of(data, True)
        _, text = credential_json(data)
        may_register(username)
        handle = store.user_handle(username)
        if handle is None:
            raise GatewayError(400, "UNKNOWN_USER", "ask for registration options first")
        r = checked(daemon.call(
            "verify_registration", policy(relying_party=rp_name), None, response_json=text,
            issued_context=context(rp_name, b"register", username)))
        rk = r.extension_results.cred_props_rk  # True, False, or None when the client did not say
        stored = store.add_credential(
            credential_id=r.credential_id, username=username, user_handle=handle, public_key=r.credential_public_key,
            algorithm=r.algorithm, sign_count=r.sign_count, transports=list(r.transports),
            aaguid=r.aaguid.bytes if r.aaguid else bytes(16), backup_eligible=r.backup_eligible, fmt=str(r.format),
            discoverable=None if rk is None else int(rk))
        if not stored:
            raise GatewayError(409, "CREDENTIAL_EXISTS", "this credential is already registered")
        session["user"] = username
        return jsonify(ok=True, user=username, credential=described(store.credential(r.credential_id)),
                       verdict={"format": str(r.format), "attestation_type": str(r.attestation_type),
                                "algorithm": r.algorithm,
                                "user_present": r.user_present, "user_verified": r.user_verified,
                                "backup_eligible": r.backup_eligible, "backed_up": r.backed_up,
                                "aaguid": r.aaguid.hex if r.aaguid else None, "sign_count": r.sign_count,
                                "cred_props_rk": rk})

    @app.post("/login/options")
    def login_options():
        data = body()
        rp_name, username = relying_party(data), username_of(data, False)
        allow = []
        if username:
            allow = [(c["id"], c["transports"]) for c in store.credentials_of(username)]
            if not allow:
                # An example's choice: say so. A site that hides which usernames exist answers with made-up ids.
                raise GatewayError(404, "UNKNOWN_USER", "no passkey is registered for this username")
        r = checked(daemon.call(
            "generate_authentication_options", policy(relying_party=rp_name), allow_credentials=allow,
            context=context(rp_name, b"login", username)))
        return jsonify(ok=True, options=r.options)

    @app.post("/login/verify")
    def login_verify():
        data = body()
        rp_name, username = relying_party(data), username_of(data, False)
        cred, text = credential_json(data)
        stored = store.credential(unb64u(cred["rawId"]))
        if stored is None:
            raise GatewayError(404, "UNKNOWN_CREDENTIAL", "this passkey is not registered here (deleted?)")
        if username and stored["username"] != username:
            raise GatewayError(403, "CREDENTIAL_NOT_ALLOWED", "this passkey belongs to another account")
        r = checked(daemon.call(
            "verify_authentication", policy(relying_party=rp_name), None, stored["public_key"],
            stored_sign_count=stored["sign_count"], stored_credential_id=stored["id"],
            stored_user_handle=stored["user_handle"], stored_aaguid=stored["aaguid"],
            stored_backup_eligible=stored["backup_eligible"], usernameless=not username,
            response_json=text, issued_context=context(rp_name, b"login", username)))
        if not store.advance_sign_count(stored["id"], r.stored_sign_count, r.sign_count):
            raise GatewayError(409, "COUNTER_RACE", "another sign-in with this passkey won the race; try again")
        session["user"] = stored["username"]
        return jsonify(ok=True, user=stored["username"], credential=described(store.credential(stored["id"])),
                       verdict={"user_verified": r.user_verified, "sign_count": r.sign_count,
                                "stored_sign_count": r.stored_sign_count, "algorithm": r.algorithm,
                                "backed_up": r.backed_up})

    @app.delete("/credentials/<credential_id>")
    def delete_credential(credential_id):
        user = session.get("user")
        if not user:
            raise GatewayError(401, "NOT_SIGNED_IN", "sign in first")
        if not store.delete_credential(unb64u(credential_id), user):
            raise GatewayError(404, "UNKNOWN_CREDENTIAL", "no such passkey on this account")
        return jsonify(ok=True)

    @app.post("/logout")
    def logout():
        session.pop("user", None)
        return jsonify(ok=True)

    return app


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passkeyd-socket", required=True, help="passkeyd's Unix socket")
    ap.add_argument("--database", required=True, help="SQLite file for users and credentials (created if missing)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--relying-party", action="append", dest="relying_parties",
                    help="a relying party named in passkeyd's config (repeatable; the first is the default)")
    args = ap.parse_args()
    app = create_app(passkeyd_socket=args.passkeyd_socket, database=args.database,
                     relying_parties=args.relying_parties or ["example"],
                     secret_key=os.environ.get("GATEWAY_SECRET_KEY", "").encode() or None)
    app.run(host=args.host, port=args.port, threaded=True, debug=False)


if __name__ == "__main__":
    main()
