-- Passkeys (WebAuthn): an account's handle for authenticators (random, never the e-mail),
-- its credentials (the serialised public key with its signature counter), and ceremonies
-- between their two requests, so any server finishes what another began.
ALTER TABLE users ADD COLUMN webauthn_handle TEXT;

CREATE TABLE passkeys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    broker_id     INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    credential_id TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    passkey       TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    UNIQUE (broker_id, credential_id)
);
CREATE INDEX passkeys_user ON passkeys(broker_id, user_id);

CREATE TABLE webauthn_ceremonies (
    id_hash    TEXT    PRIMARY KEY,
    broker_id  INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('register', 'sign_in')),
    state      TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX webauthn_ceremonies_expiry ON webauthn_ceremonies(expires_at);
