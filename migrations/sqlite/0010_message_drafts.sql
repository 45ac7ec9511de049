-- Message drafts live on the server, per account and kind of message, not in the phone's
-- storage: the next person on a shared phone finds none. Sending a message drops its draft;
-- housekeeping drops drafts untouched for 30 days.
CREATE TABLE message_drafts (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    broker_id  INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    topic      TEXT    NOT NULL,
    fields     TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, topic)
);
CREATE INDEX message_drafts_updated ON message_drafts(updated_at);
