-- The secure mailbox (Postfach): conversations between a customer and the broker's office,
-- their messages, and the notices that only say something is waiting.
--
-- topic: what the customer chose ('question', 'address', 'bank', 'claim', 'missing_contract')
-- or 'office' for a conversation staff started (then subject is its title).
-- details: the structured part of a request as JSON ('' for none): a new address, a bank
-- account, a claim's date and place, a missing contract's insurer.
-- applied_at/applied_by: when a change request was taken over into the customer's record.
-- health_consent_at: when the customer agreed to health data being processed (R4.3).
-- last_*_message / *_read: message ids, so "unread" means a newer message from the other side
-- than the last one this side has seen (ids grow, unlike seconds that can tie).
-- customers.iban/account_holder: the bank account, set by staff (from a change request).
-- documents.message_id: the message a file is attached to; held = 1 while it has been
-- uploaded for a message that is not sent yet (not shown in the folder).
-- mail_notices: one row per recipient address; pending until the batch goes out, at most
-- one mail per 15 minutes (last_sent_at).

ALTER TABLE customers ADD COLUMN iban TEXT;
ALTER TABLE customers ADD COLUMN account_holder TEXT;

CREATE TABLE conversations (
    id                   INTEGER PRIMARY KEY,
    broker_id            INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    customer_id          INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    topic                TEXT    NOT NULL CHECK (topic IN ('question', 'address', 'bank', 'claim', 'missing_contract', 'office')),
    subject              TEXT    NOT NULL DEFAULT '',
    contract_id          INTEGER REFERENCES contracts(id) ON DELETE SET NULL,
    status               TEXT    NOT NULL CHECK (status IN ('new', 'open', 'done')),
    assignee_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    details              TEXT    NOT NULL DEFAULT '',
    applied_at           INTEGER,
    applied_by           INTEGER REFERENCES users(id) ON DELETE SET NULL,
    health_consent_at    INTEGER,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    last_customer_message INTEGER NOT NULL DEFAULT 0,
    last_office_message  INTEGER NOT NULL DEFAULT 0,
    customer_read        INTEGER NOT NULL DEFAULT 0,
    office_read          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conversations_customer ON conversations(broker_id, customer_id, updated_at);
CREATE INDEX conversations_inbox ON conversations(broker_id, status, updated_at);
CREATE INDEX conversations_updated ON conversations(broker_id, updated_at);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    broker_id       INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    sender          TEXT    NOT NULL CHECK (sender IN ('customer', 'office')),
    author_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages(broker_id, conversation_id, id);
CREATE INDEX messages_created ON messages(broker_id, created_at);

ALTER TABLE documents ADD COLUMN message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL;
ALTER TABLE documents ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
CREATE INDEX documents_message ON documents(broker_id, message_id);

CREATE TABLE mail_notices (
    broker_id    INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    recipient    TEXT    NOT NULL,
    audience     TEXT    NOT NULL CHECK (audience IN ('customer', 'office')),
    locale       TEXT    NOT NULL,
    pending      INTEGER NOT NULL DEFAULT 0,
    due_at       INTEGER NOT NULL,
    last_sent_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (broker_id, recipient)
);
CREATE INDEX mail_notices_due ON mail_notices(pending, due_at);
