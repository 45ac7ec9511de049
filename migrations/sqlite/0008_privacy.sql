-- R5.3: a client's address is technical data, kept 7 days. It leaves the append-only trail
-- (which keeps who did what, when) for a table that housekeeping empties of older rows.
CREATE TABLE audit_addresses (
    audit_id  INTEGER PRIMARY KEY REFERENCES audit_log(id),
    broker_id INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    ip        TEXT    NOT NULL
);
CREATE INDEX audit_addresses_at ON audit_addresses(at);
INSERT INTO audit_addresses (audit_id, broker_id, at, ip)
    SELECT id, broker_id, at, ip FROM audit_log WHERE ip IS NOT NULL;
-- Dropping a column rewrites no row through UPDATE, so the append-only triggers stay.
ALTER TABLE audit_log DROP COLUMN ip;

-- API keys: a name the owner recognises, and when each was last used (at most once a minute).
ALTER TABLE api_keys ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;

-- A deactivated account cannot sign in, keeps no session and can use no link, until the
-- office reactivates it; its data and its place in the trail stay.
ALTER TABLE users ADD COLUMN deactivated_at INTEGER;

-- R4.3: a consent to process health data can be withdrawn; the office sees since when.
ALTER TABLE conversations ADD COLUMN health_consent_withdrawn_at INTEGER;
