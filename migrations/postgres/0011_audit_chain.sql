-- The trail proves itself (R1.2): each entry carries its place in its broker's chain (`seq`,
-- from 1), the hash of the entry before it and its own hash over both and its content. A
-- changed, removed or inserted entry breaks the chain; `folio audit verify` finds where.
-- `audit_chain` holds each broker's newest link (appending takes its row, so entries are
-- chained one at a time) and the outcome of the last check.
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_seq ON audit_log(broker_id, seq);
-- What one person did lately (upload limits count from here).
CREATE INDEX audit_log_actor ON audit_log(broker_id, actor_id, action, at);

CREATE TABLE audit_chain (
    broker_id     BIGINT PRIMARY KEY REFERENCES brokers(id),
    last_seq      BIGINT NOT NULL,
    last_hash     TEXT   NOT NULL,
    checked_at    BIGINT,
    checked_count BIGINT,
    -- The first entry found broken by the last check (its seq, or the row id of an entry
    -- without a place); NULL when the chain was whole.
    broken_at     BIGINT,
    broken_reason TEXT
);

-- Entries written before the chain existed get their place once (when their broker's chain
-- begins); nothing else about an entry may ever change.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.hash IS NULL
       AND (NEW.id, NEW.broker_id, NEW.at, NEW.actor_kind, NEW.actor_id, NEW.action,
            NEW.target_kind, NEW.target_id, NEW.detail)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.broker_id, OLD.at, OLD.actor_kind, OLD.actor_id, OLD.action,
            OLD.target_kind, OLD.target_id, OLD.detail) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
