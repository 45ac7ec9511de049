-- The trail proves itself (R1.2): each entry carries its place in its broker's chain (`seq`,
-- from 1), the hash of the entry before it and its own hash over both and its content. A
-- changed, removed or inserted entry breaks the chain; `folio audit verify` finds where.
-- `audit_chain` holds each broker's newest link (appending takes its row, so entries are
-- chained one at a time) and the outcome of the last check.
ALTER TABLE audit_log ADD COLUMN seq INTEGER;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_seq ON audit_log(broker_id, seq);
-- What one person did lately (upload limits count from here).
CREATE INDEX audit_log_actor ON audit_log(broker_id, actor_id, action, at);

CREATE TABLE audit_chain (
    broker_id     INTEGER PRIMARY KEY REFERENCES brokers(id),
    last_seq      INTEGER NOT NULL,
    last_hash     TEXT    NOT NULL,
    checked_at    INTEGER,
    checked_count INTEGER,
    -- The first entry found broken by the last check (its seq, or the row id of an entry
    -- without a place); NULL when the chain was whole.
    broken_at     INTEGER,
    broken_reason TEXT
);

-- Entries written before the chain existed get their place once (when their broker's chain
-- begins); nothing else about an entry may ever change.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.hash IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.broker_id IS NOT OLD.broker_id
  OR NEW.at IS NOT OLD.at OR NEW.actor_kind IS NOT OLD.actor_kind OR NEW.actor_id IS NOT OLD.actor_id
  OR NEW.action IS NOT OLD.action OR NEW.target_kind IS NOT OLD.target_kind
  OR NEW.target_id IS NOT OLD.target_id OR NEW.detail IS NOT OLD.detail
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
