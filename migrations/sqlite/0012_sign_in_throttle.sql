-- Failed sign-ins are counted here, not in one server's memory, so several servers see the
-- same counts: per account (`a:<broker>:<e-mail>`) and per address (`i:<IPv4>` or
-- `i:<IPv6 /64>`). Each attempt is counted before its password is checked.
CREATE TABLE sign_in_failures (
    key           TEXT    PRIMARY KEY,
    failures      INTEGER NOT NULL,
    last_at       INTEGER NOT NULL,
    blocked_until INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_last ON sign_in_failures(last_at);

-- After many failures the right password alone no longer signs in: a link mailed to the
-- account does (purpose `sign_in`). SQLite cannot widen a CHECK, so the table is rebuilt.
CREATE TABLE auth_tokens_new (
    token_hash TEXT    PRIMARY KEY,
    broker_id  INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('invite', 'reset', 'sign_in')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
INSERT INTO auth_tokens_new SELECT token_hash, broker_id, user_id, purpose, created_at, expires_at, used_at FROM auth_tokens;
DROP TABLE auth_tokens;
ALTER TABLE auth_tokens_new RENAME TO auth_tokens;
CREATE INDEX auth_tokens_user ON auth_tokens(broker_id, user_id);
