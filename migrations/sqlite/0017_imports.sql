-- Imports from broker systems (GDV-Datensatz, CSV): each file with its report, kept so the
-- origin of every imported datum can be named (`import:<id>` in created_by / changed_by).
-- The file itself is kept only between the preview and the import.
CREATE TABLE imports (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    broker_id  INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    format     TEXT    NOT NULL CHECK (format IN ('gdv', 'csv')),
    file_name  TEXT    NOT NULL,
    sha256     TEXT    NOT NULL,
    encoding   TEXT    NOT NULL DEFAULT '',
    content    BLOB,
    state      TEXT    NOT NULL CHECK (state IN ('previewed', 'running', 'done', 'failed')),
    report     TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    applied_at INTEGER
);
CREATE INDEX imports_broker ON imports(broker_id, created_at);

-- The broker's own names for an insurer's VU number and for a GDV Sparte (its catalogue's line
-- and product); the defaults apply where there is none.
CREATE TABLE import_mappings (
    broker_id INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    kind      TEXT    NOT NULL CHECK (kind IN ('insurer', 'sparte')),
    code      TEXT    NOT NULL,
    value     TEXT    NOT NULL,
    PRIMARY KEY (broker_id, kind, code)
);

-- An insurer's number for a customer (Kundennummer beim VU): how the next file finds them.
CREATE TABLE customer_numbers (
    broker_id   INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    issuer      TEXT    NOT NULL,
    number      TEXT    NOT NULL,
    PRIMARY KEY (broker_id, issuer, number)
);
CREATE INDEX customer_numbers_customer ON customer_numbers(broker_id, customer_id);
CREATE INDEX contracts_broker_insurer_policy ON contracts(broker_id, insurer, policy_number);
