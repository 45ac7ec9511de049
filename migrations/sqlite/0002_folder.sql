-- The customer folder: the broker's catalogue of lines and products, contracts,
-- documents (their bytes live in <data-dir>/blobs/), the data broker systems send,
-- and each broker's storage quota.

ALTER TABLE brokers ADD COLUMN storage_quota_bytes INTEGER NOT NULL DEFAULT 1073741824;

ALTER TABLE customers ADD COLUMN external_id TEXT;
ALTER TABLE customers ADD COLUMN company_name TEXT;
ALTER TABLE customers ADD COLUMN phone TEXT;
ALTER TABLE customers ADD COLUMN birth_date TEXT;
ALTER TABLE customers ADD COLUMN street TEXT;
ALTER TABLE customers ADD COLUMN postal_code TEXT;
ALTER TABLE customers ADD COLUMN city TEXT;
ALTER TABLE customers ADD COLUMN country TEXT;
CREATE UNIQUE INDEX customers_broker_external ON customers(broker_id, external_id);
CREATE INDEX customers_broker_updated ON customers(broker_id, updated_at);

CREATE TABLE lines (
    id          INTEGER PRIMARY KEY,
    broker_id   INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    hidden      INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT lines_broker_name_key UNIQUE (broker_id, name)
);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    broker_id   INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    line_id     INTEGER NOT NULL REFERENCES lines(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    hidden      INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT products_line_name_key UNIQUE (line_id, name)
);
CREATE INDEX products_broker_line ON products(broker_id, line_id, position);

CREATE TABLE contracts (
    id               INTEGER PRIMARY KEY,
    broker_id        INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    customer_id      INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    external_id      TEXT,
    line_id          INTEGER NOT NULL REFERENCES lines(id),
    product_id       INTEGER REFERENCES products(id),
    insurer          TEXT    NOT NULL,
    policy_number    TEXT    NOT NULL DEFAULT '',
    status           TEXT    NOT NULL CHECK (status IN ('active', 'ended')),
    premium_cents    INTEGER NOT NULL DEFAULT 0,
    currency         TEXT    NOT NULL DEFAULT 'EUR',
    payment_interval TEXT    NOT NULL CHECK (payment_interval IN ('monthly', 'quarterly', 'half_yearly', 'yearly', 'once')),
    start_date       TEXT,
    end_date         TEXT,
    insured          TEXT    NOT NULL DEFAULT '',
    description      TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX contracts_customer ON contracts(broker_id, customer_id);
CREATE INDEX contracts_broker_policy ON contracts(broker_id, policy_number);
CREATE INDEX contracts_line ON contracts(broker_id, line_id);
CREATE INDEX contracts_product ON contracts(broker_id, product_id);
CREATE UNIQUE INDEX contracts_broker_external ON contracts(broker_id, external_id);

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    broker_id   INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    contract_id INTEGER REFERENCES contracts(id) ON DELETE SET NULL,
    title       TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('policy', 'amendment', 'invoice', 'letter', 'other')),
    media_type  TEXT    NOT NULL,
    size_bytes  INTEGER NOT NULL,
    blob        TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);
CREATE INDEX documents_customer ON documents(broker_id, customer_id, created_at);
CREATE INDEX documents_contract ON documents(broker_id, contract_id);
