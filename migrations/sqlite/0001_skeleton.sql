-- Brokers (tenants), their accounts, sessions, one-time links, API keys and the audit trail.
-- Timestamps are Unix seconds (UTC); every table with broker data carries broker_id.

CREATE TABLE brokers (
    id            INTEGER PRIMARY KEY,
    slug          TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    primary_color TEXT    NOT NULL DEFAULT '#1d4ed8',
    created_at    INTEGER NOT NULL
);

CREATE TABLE broker_domains (
    domain     TEXT    PRIMARY KEY,
    broker_id  INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX broker_domains_broker ON broker_domains(broker_id);

CREATE TABLE customers (
    id         INTEGER PRIMARY KEY,
    broker_id  INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    first_name TEXT    NOT NULL,
    last_name  TEXT    NOT NULL,
    email      TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX customers_broker_name ON customers(broker_id, last_name, first_name);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    broker_id     INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    email         TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('owner', 'employee', 'customer')),
    display_name  TEXT    NOT NULL,
    customer_id   INTEGER REFERENCES customers(id) ON DELETE CASCADE,
    password_hash TEXT,
    locale        TEXT,
    created_at    INTEGER NOT NULL,
    CONSTRAINT users_broker_email_key UNIQUE (broker_id, email)
);

CREATE TABLE sessions (
    id_hash      TEXT    PRIMARY KEY,
    broker_id    INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(broker_id, user_id);

CREATE TABLE auth_tokens (
    token_hash TEXT    PRIMARY KEY,
    broker_id  INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX auth_tokens_user ON auth_tokens(broker_id, user_id);

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    broker_id    INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    prefix       TEXT    NOT NULL UNIQUE,
    key_hash     TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    broker_id   INTEGER NOT NULL REFERENCES brokers(id),
    at          INTEGER NOT NULL,
    actor_kind  TEXT    NOT NULL CHECK (actor_kind IN ('staff', 'customer', 'api_key', 'system', 'anonymous')),
    actor_id    INTEGER,
    action      TEXT    NOT NULL,
    target_kind TEXT,
    target_id   INTEGER,
    ip          TEXT,
    detail      TEXT
);
CREATE INDEX audit_log_target ON audit_log(broker_id, target_kind, target_id, at);

-- Append-only: the trail proves who did what, so nothing may rewrite it.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
