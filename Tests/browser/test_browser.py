"""Passkeys in a real browser: chromium's virtual authenticator → the example gateway → passkeyd, and back.

Every refusal is checked by its code: passkeyd's (relayed by the gateway), the gateway's own, or the browser's
exception name when the browser itself refuses before anything is sent.
"""
import sqlite3

import pytest
from selenium.webdriver.common.by import By

from conftest import ALGORITHMS
from pages import b64u_decode

VIRTUAL_AAGUID = "01020304050607080102030405060708"  # Chrome's virtual authenticator, attestation "direct"
UP, UV, AT = 0x01, 0x04, 0x40


def flags(body):
    """The flags byte of the authenticator data the page posted (registration or assertion)."""
    return b64u_decode(body["credential"]["response"]["authenticatorData"])[32]


def stored_sign_count(stack, credential_id):
    with sqlite3.connect(stack["database"]) as db:
        return db.execute("SELECT sign_count FROM credentials WHERE id = ?", (b64u_decode(credential_id),)).fetchone()[0]


def test_register_then_sign_in_moves_the_counter(page, stack):
    page.authenticator()
    page.open()
    page.hooks({})  # records what the page posts
    reg = page.register("alice")
    assert reg.ok, reg
    assert flags(page.sent("/register/verify")[0]) == UP | UV | AT  # never BE or BS
    v = reg.answer["verdict"]
    # The default policy asks for no attestation: Chrome then replaces the statement with fmt "none" (and keeps
    # the AAGUID).
    assert (v["format"], v["attestation_type"], v["algorithm"]) == ("none", "none", -7)
    assert v["user_present"] and v["user_verified"] and v["cred_props_rk"] is True
    assert not v["backup_eligible"] and not v["backed_up"]
    assert v["aaguid"] == VIRTUAL_AAGUID
    cred_id = reg.answer["credential"]["id"]
    assert [c.id.rstrip("=") for c in page.authenticator_credentials()] == [cred_id]
    page.logout()

    previous = v["sign_count"]
    for _ in range(3):
        out = page.login("alice")
        assert out.ok, out
        got = out.answer["verdict"]
        assert got["stored_sign_count"] == previous and got["sign_count"] > previous and got["user_verified"]
        previous = got["sign_count"]
        assert stored_sign_count(stack, cred_id) == previous
        page.logout()
    assert [flags(b) for b in page.sent("/login/verify")] == [UP | UV] * 3
    assert page.authenticator_credentials()[0].sign_count == previous


@pytest.mark.parametrize("resident_key", [True, False], ids=["resident", "non-resident"])
@pytest.mark.parametrize("alg", list(ALGORITHMS), ids=list(ALGORITHMS.values()))
def test_every_algorithm_the_virtual_authenticator_makes(page, stack, alg, resident_key):
    page.authenticator(resident_key=resident_key)
    page.open()
    user = f"alg{alg}-{'rk' if resident_key else 'nrk'}"
    reg = page.register(user, relying_party=f"alg{alg}")
    assert reg.ok, reg
    v = reg.answer["verdict"]
    # These parties ask for direct attestation: a packed statement with a batch certificate (x5c).
    assert (v["format"], v["attestation_type"], v["algorithm"], v["aaguid"]) == ("packed", "basic", alg, VIRTUAL_AAGUID)
    assert v["cred_props_rk"] is resident_key and reg.answer["credential"]["discoverable"] is resident_key
    page.logout()

    out = page.login(user, relying_party=f"alg{alg}")
    assert out.ok, out
    assert out.answer["verdict"]["algorithm"] == alg
    page.logout()
    out = page.login("", relying_party=f"alg{alg}")  # usernameless: only a discoverable credential can answer
    if resident_key:
        assert out.ok and out.answer["user"] == user, out
    else:
        assert (out.ok, out.code) == (False, "NotAllowedError"), out


def test_an_algorithm_passkeyd_never_offered_is_refused(page):
    # ML-DSA-44 (-48): the virtual authenticator makes it when asked, passkeyd neither offers nor accepts it.
    page.authenticator()
    page.open()
    page.hooks({"/register/options": {"response": """
        value.options.pubKeyCredParams = [{type: "public-key", alg: -48}]; return value;"""}})
    out = page.register("mldsa44")
    assert (out.ok, out.code) == (False, "UNSUPPORTED_ALGORITHM"), out


def test_user_verification_off_and_a_party_that_requires_it(page):
    page.authenticator(resident_key=False, user_verification=False)
    page.open()
    page.hooks({})
    reg = page.register("gina")
    assert reg.ok and reg.answer["verdict"]["user_verified"] is False, reg
    assert flags(page.sent("/register/verify")[0]) == UP | AT
    page.logout()
    out = page.login("gina")
    assert out.ok and out.answer["verdict"]["user_verified"] is False, out
    page.logout()

    # The UV-requiring party's options say userVerification "required": the browser refuses on its own.
    out = page.login("gina", relying_party="uv")
    assert (out.ok, out.code) == (False, "NotAllowedError"), out
    # A page (or script) that weakens the options gets an assertion without UV, and passkeyd refuses it.
    page.hooks({"/login/options": {"response": 'value.options.userVerification = "discouraged"; return value;'},
                "/register/options": {"response": """
                    value.options.authenticatorSelection.userVerification = "discouraged"; return value;"""}})
    out = page.login("gina", relying_party="uv")
    assert (out.ok, out.code) == (False, "USER_VERIFICATION_REQUIRED"), out
    out = page.register("gina-uv", relying_party="uv")
    assert (out.ok, out.code) == (False, "USER_VERIFICATION_REQUIRED"), out


def test_conditional_autofill_sign_in(page, stack):
    page.authenticator()
    page.open()
    reg = page.register("hank")
    assert reg.ok, reg
    page.logout()
    page.open()  # signed out: the page starts a conditional request, the virtual authenticator answers it
    assert page.d.find_element(By.ID, "login-username").get_attribute("autocomplete") == "username webauthn"
    out = page.wait_outcome(0)
    assert out.ok and out.answer["user"] == "hank" and "(autofill)" in out.text, out
    assert out.answer["verdict"]["sign_count"] > reg.answer["verdict"]["sign_count"]
    assert stored_sign_count(stack, reg.answer["credential"]["id"]) == out.answer["verdict"]["sign_count"]


def test_a_deleted_credential_no_longer_signs_in(page):
    page.authenticator()
    page.open()
    reg = page.register("carol")
    assert reg.ok, reg
    deleted = page.delete_credential(reg.answer["credential"]["id"])
    assert deleted.ok, deleted
    page.logout()
    # The authenticator still has the passkey and answers a usernameless request; the gateway no longer knows it.
    out = page.login("")
    assert (out.ok, out.code) == (False, "UNKNOWN_CREDENTIAL"), out
    out = page.login("carol")
    assert (out.ok, out.code) == (False, "UNKNOWN_USER"), out
    # And the other way round: an authenticator that lost its passkeys cannot answer at all.
    page.d.remove_all_credentials()
    assert page.authenticator_credentials() == []


def test_a_replayed_response_is_refused(page):
    page.authenticator()
    page.open()
    page.hooks({})
    reg = page.register("ivan")
    assert reg.ok, reg
    again = page.post("/register/verify", page.sent("/register/verify")[0])
    assert (again["ok"], again["error"]) == (False, "CHALLENGE_REUSED"), again
    page.logout()
    # The counter moved with the first login, so replaying its response fails the counter check first ...
    out = page.login("ivan")
    assert out.ok, out
    again = page.post("/login/verify", page.sent("/login/verify")[0])
    assert (again["ok"], again["error"]) == (False, "SIGN_COUNT_REGRESSION"), again
    page.logout()
    # ... and where a counter that does not move is accepted (synced passkeys report 0), single use stops it.
    out = page.login("ivan", relying_party="counter-report")
    assert out.ok, out
    again = page.post("/login/verify", page.sent("/login/verify")[-1])
    assert (again["ok"], again["error"]) == (False, "CHALLENGE_REUSED"), again


def test_a_second_use_of_a_challenge_is_refused(page):
    page.authenticator()
    page.open()
    reg = page.register("judy")
    assert reg.ok, reg
    page.logout()
    # The page keeps the first login options and signs a second, fresh assertion over the same challenge.
    page.hooks({"/login/options": {"response": "if (!state.first) state.first = value; return state.first;"}})
    first = page.login("judy")
    assert first.ok, first
    page.logout()
    second = page.login("judy")
    assert (second.ok, second.code) == (False, "CHALLENGE_REUSED"), second
    sent = page.sent("/login/verify")
    assert sent[0]["credential"]["response"]["signature"] != sent[1]["credential"]["response"]["signature"]


TAMPER_SIGNATURE = """
    const s = value.credential.response.signature, i = 12;
    value.credential.response.signature = s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    return value;"""
# Rewrites one member of clientDataJSON (ASCII, so btoa/atob round-trip it), keeping the member order.
TAMPER_CLIENT_DATA = """
    const r = value.credential.response;
    const cd = JSON.parse(atob(r.clientDataJSON.replace(/-/g, "+").replace(/_/g, "/")));
    %s
    r.clientDataJSON = btoa(JSON.stringify(cd)).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
    return value;"""
TAMPER_CHALLENGE_AT = 'const c = cd.challenge, i = %d; cd.challenge = c.slice(0, i) + (c[i] === "A" ? "B" : "A") + c.slice(i + 1);'


@pytest.mark.parametrize("tamper,code", [
    (TAMPER_SIGNATURE, "BAD_SIGNATURE"),
    # The challenge is passkeyd's 66-byte token (88 base64url characters): character 20 lies in its clear binding
    # tag (bytes 14-17), character 60 in its MAC (bytes 34-65).
    (TAMPER_CLIENT_DATA % (TAMPER_CHALLENGE_AT % 20), "CHALLENGE_REBOUND"),
    (TAMPER_CLIENT_DATA % (TAMPER_CHALLENGE_AT % 60), "CHALLENGE_FORGED"),
    (TAMPER_CLIENT_DATA % 'cd.origin = "http://localhost:1";', "ORIGIN_MISMATCH"),
], ids=["signature", "challenge-binding-tag", "challenge-mac", "origin"])
def test_a_tampered_response_is_refused_and_consumes_nothing(page, tamper, code):
    page.authenticator()
    page.open()
    user = "kate-" + code.lower()
    reg = page.register(user)
    assert reg.ok, reg
    page.logout()
    page.hooks({"/login/verify": {"request": tamper}})
    out = page.login(user)
    assert (out.ok, out.code) == (False, code), out
    # passkeyd decides single use last: the untampered response still verifies once.
    original = page.sent("/login/verify")[0]
    first = page.post("/login/verify", original)
    assert first["ok"] is True, first


def test_a_response_carried_into_another_session_is_refused(page):
    page.authenticator(resident_key=False)  # no autofill sign-in when the new session's page loads
    page.open()
    reg = page.register("leo")
    assert reg.ok, reg
    page.logout()
    # Hold the signed response back (the gateway gets an empty credential), then post it from a new session.
    page.hooks({"/login/verify": {"request": "value.credential = {}; return value;"}})
    out = page.login("leo")
    assert (out.ok, out.code) == (False, "BAD_REQUEST"), out
    held = page.sent("/login/verify")[0]
    page.d.delete_all_cookies()
    page.open()
    answer = page.post("/login/verify", held)
    assert (answer["ok"], answer["error"]) == (False, "CHALLENGE_REBOUND"), answer


def test_a_page_on_an_origin_passkeyd_does_not_allow(page, stack):
    # Non-resident: the page loads again after a passkey exists, and autofill would sign in with it first.
    page.authenticator(resident_key=False)
    # http://localhost:<other port> may use RP ID "localhost", so the browser signs; passkeyd refuses the origin.
    page.open(port=stack["other_port"])
    out = page.register("mallory")
    assert (out.ok, out.code) == (False, "ORIGIN_MISMATCH"), out
    page.open()
    reg = page.register("nina")
    assert reg.ok, reg
    page.logout()
    page.open(port=stack["other_port"])  # cookies are per host, not per port: the same session
    out = page.login("nina")
    assert (out.ok, out.code) == (False, "ORIGIN_MISMATCH"), out
    # http://127.0.0.1 may not use RP ID "localhost" at all: the browser refuses before anything is signed.
    page.open(host="127.0.0.1")
    out = page.register("oscar")
    assert (out.ok, out.code) == (False, "SecurityError"), out


def test_someone_elses_username_cannot_get_a_passkey(page):
    page.authenticator(resident_key=False)  # no autofill sign-in when the new session's page loads
    page.open()
    assert page.register("pat").ok
    page.d.delete_all_cookies()
    page.open()
    out = page.register("pat")
    assert (out.ok, out.code) == (False, "USERNAME_TAKEN"), out
