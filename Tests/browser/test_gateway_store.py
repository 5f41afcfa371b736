"""The gateway's counter update without a browser: the compare-and-swap of the README's "Counters under
concurrency" lets exactly one of two logins verified against the same stored counter move it."""
import os
import tempfile

from store import Store


def make_store(sign_count=5):
    d = tempfile.mkdtemp(prefix="pkd-store-")
    s = Store(os.path.join(d, "gateway.db"))
    s.add_user("alice", b"h" * 32)
    assert s.add_credential(credential_id=b"cred", username="alice", user_handle=b"h" * 32, public_key=b"cose",
                            algorithm=-7, sign_count=sign_count, transports=["internal"], aaguid=b"\0" * 16,
                            backup_eligible=False, discoverable=1, fmt="none")
    return s


def test_two_logins_verified_against_the_same_counter_move_it_once():
    s = make_store()
    # Both verdicts were checked against 5; the authenticator answered 6 to one and 7 to the other.
    assert s.advance_sign_count(b"cred", 5, 7) is True
    assert s.advance_sign_count(b"cred", 5, 6) is False  # the slower one must not move the counter back
    assert s.credential(b"cred")["sign_count"] == 7


def test_a_credential_id_registers_once():
    s = make_store()
    s.add_user("bob", b"b" * 32)
    assert not s.add_credential(credential_id=b"cred", username="bob", user_handle=b"b" * 32, public_key=b"x",
                                algorithm=-7, sign_count=0, transports=[], aaguid=b"\0" * 16,
                                backup_eligible=False, discoverable=None, fmt="none")
    assert s.credential(b"cred")["username"] == "alice"
    assert s.add_user("alice", b"other" * 8) == b"h" * 32  # an existing user keeps its handle


def test_a_counter_that_does_not_move_updates_for_every_login():
    # Synced passkeys report 0 forever: passkeyd accepts 0 after 0, and the swap from 0 to 0 always succeeds.
    s = make_store(sign_count=0)
    assert s.advance_sign_count(b"cred", 0, 0) is True
    assert s.advance_sign_count(b"cred", 0, 0) is True
    assert s.credential(b"cred")["sign_count"] == 0
