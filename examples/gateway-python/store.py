"""The gateway's own state: users and their credential records, in SQLite (stdlib sqlite3).

No challenge is stored here: passkeyd issues the challenges and checks them (and their single use) itself.
"""
import json
import sqlite3
import threading
import time

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username    TEXT PRIMARY KEY,
    user_handle BLOB NOT NULL UNIQUE          -- WebAuthn user.id: random, never the username
);
CREATE TABLE IF NOT EXISTS credentials (
    id              BLOB PRIMARY KEY,         -- credential id (rawId)
    username        TEXT NOT NULL REFERENCES users(username),
    user_handle     BLOB NOT NULL,
    public_key      BLOB NOT NULL,            -- COSE_Key, as passkeyd's registration verdict returns it
    algorithm       INTEGER NOT NULL,
    sign_count      INTEGER NOT NULL,
    transports      TEXT NOT NULL,            -- JSON list
    aaguid          BLOB NOT NULL,
    backup_eligible INTEGER NOT NULL,
    discoverable    INTEGER,                  -- credProps.rk: 1, 0, or NULL when the client did not say
    format          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    last_used_at    INTEGER
);
CREATE INDEX IF NOT EXISTS credentials_by_user ON credentials(username);
"""


class Store:
    def __init__(self, path):
        # One connection shared by Flask's threads, serialised by a lock: enough for an example, and it keeps the
        # compare-and-swap below a single statement either way.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._lock:
            self._db.executescript(SCHEMA)

    def _all(self, sql, args=()):
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _one(self, sql, args=()):
        with self._lock:
            return self._db.execute(sql, args).fetchone()

    def _run(self, sql, args=()):
        with self._lock:
            return self._db.execute(sql, args).rowcount

    def user_handle(self, username):
        row = self._one("SELECT user_handle FROM users WHERE username = ?", (username,))
        return None if row is None else bytes(row["user_handle"])

    def add_user(self, username, user_handle):
        """Creates the user unless it exists; returns the user handle that is stored."""
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO users (username, user_handle) VALUES (?, ?)", (username, user_handle))
            return bytes(self._db.execute("SELECT user_handle FROM users WHERE username = ?", (username,)).fetchone()[0])

    def credentials_of(self, username):
        return [_credential(r) for r in self._all("SELECT * FROM credentials WHERE username = ? ORDER BY created_at", (username,))]

    def credential(self, credential_id):
        row = self._one("SELECT * FROM credentials WHERE id = ?", (credential_id,))
        return None if row is None else _credential(row)

    def add_credential(self, *, credential_id, username, user_handle, public_key, algorithm, sign_count, transports,
                       aaguid, backup_eligible, discoverable, fmt):
        """Stores a new credential; False when that id is already registered (to anyone)."""
        try:
            self._run(
                "INSERT INTO credentials (id, username, user_handle, public_key, algorithm, sign_count, transports,"
                " aaguid, backup_eligible, discoverable, format, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (credential_id, username, user_handle, public_key, algorithm, sign_count, json.dumps(list(transports)),
                 aaguid, int(backup_eligible), discoverable, fmt, int(time.time())),
            )
            return True
        except sqlite3.IntegrityError:
            return False

    def advance_sign_count(self, credential_id, stored_sign_count, sign_count):
        """The compare-and-swap of the README's "Counters under concurrency": moves the counter only from the value
        the verification was checked against. False means another login moved it first."""
        return self._run(
            "UPDATE credentials SET sign_count = ?, last_used_at = ? WHERE id = ? AND sign_count = ?",
            (sign_count, int(time.time()), credential_id, stored_sign_count),
        ) == 1

    def delete_credential(self, credential_id, username):
        return self._run("DELETE FROM credentials WHERE id = ? AND username = ?", (credential_id, username)) == 1


def _credential(row):
    c = dict(row)
    for k in ("id", "user_handle", "public_key", "aaguid"):
        c[k] = bytes(c[k])
    c["transports"] = json.loads(c["transports"])
    c["backup_eligible"] = bool(c["backup_eligible"])
    return c
