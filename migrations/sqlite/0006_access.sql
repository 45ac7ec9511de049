-- Who sees what (R3): an account reaches its own folder (users.customer_id) and others
-- through grants, each resting on a signed mandate.
--
-- grants: one row per person given access to a folder, with the mandate it rests on (R3.3):
-- the requester (the policyholder, or for a company the representative who signed), the date
-- of the request, the person given access and the address that activates it, how it was
-- signed, and the signed form as a document of the folder. all_contracts = 1: every
-- contract, also later ones (a company's legal representative); else the listed
-- grant_contracts. A revoked grant stays, for the record, with revoked_at set.
-- external_id: the broker system's id of the grant (REST API).
-- documents.kind: 'mandate' for a signed form. SQLite cannot change a CHECK constraint, so
-- the documents table is rebuilt with the same columns and indexes.
-- sessions.folder_id: the folder a session looks at, when its account reaches several.
-- conversations.grantee_id: set when someone with a grant (not the folder's holder) started
-- it; then it is theirs and the office's, not the policyholder's.
-- customers.country: always an ISO 3166 code from now on.

CREATE TABLE documents_rebuilt (
    id           INTEGER PRIMARY KEY,
    broker_id    INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    contract_id  INTEGER REFERENCES contracts(id) ON DELETE SET NULL,
    title        TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('policy', 'amendment', 'invoice', 'letter', 'mandate', 'other')),
    media_type   TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL,
    blob         TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    upload_key   TEXT,
    uploaded_by  TEXT    NOT NULL DEFAULT 'office' CHECK (uploaded_by IN ('office', 'customer')),
    preview_blob TEXT,
    message_id   INTEGER REFERENCES messages(id) ON DELETE SET NULL,
    held         INTEGER NOT NULL DEFAULT 0
);
INSERT INTO documents_rebuilt (id, broker_id, customer_id, contract_id, title, kind, media_type, size_bytes, blob,
    created_at, upload_key, uploaded_by, preview_blob, message_id, held)
SELECT id, broker_id, customer_id, contract_id, title, kind, media_type, size_bytes, blob,
    created_at, upload_key, uploaded_by, preview_blob, message_id, held FROM documents;
DROP TABLE documents;
ALTER TABLE documents_rebuilt RENAME TO documents;
CREATE INDEX documents_customer ON documents(broker_id, customer_id, created_at);
CREATE INDEX documents_contract ON documents(broker_id, contract_id);
CREATE UNIQUE INDEX documents_upload_key ON documents(broker_id, customer_id, upload_key);
CREATE INDEX documents_message ON documents(broker_id, message_id);

CREATE TABLE grants (
    id                    INTEGER PRIMARY KEY,
    broker_id             INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    customer_id           INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    user_id               INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    external_id           TEXT,
    role                  TEXT    NOT NULL CHECK (role IN ('insured', 'other', 'legal_representative', 'other_for_entity')),
    all_contracts         INTEGER NOT NULL DEFAULT 0,
    requested_on          TEXT    NOT NULL,
    signature             TEXT    NOT NULL CHECK (signature IN ('qualified', 'eid', 'handwritten')),
    form_document_id      INTEGER NOT NULL REFERENCES documents(id),
    requester_first_name  TEXT    NOT NULL,
    requester_last_name   TEXT    NOT NULL,
    requester_birth_date  TEXT,
    requester_street      TEXT    NOT NULL,
    requester_postal_code TEXT    NOT NULL,
    requester_city        TEXT    NOT NULL,
    requester_country     TEXT    NOT NULL,
    person_first_name     TEXT    NOT NULL,
    person_last_name      TEXT    NOT NULL,
    person_birth_date     TEXT,
    person_street         TEXT    NOT NULL,
    person_postal_code    TEXT    NOT NULL,
    person_city           TEXT    NOT NULL,
    person_country        TEXT    NOT NULL,
    person_email          TEXT    NOT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    revoked_at            INTEGER
);
CREATE UNIQUE INDEX grants_broker_external ON grants(broker_id, external_id);
CREATE INDEX grants_user ON grants(broker_id, user_id);
CREATE INDEX grants_customer ON grants(broker_id, customer_id);
CREATE INDEX grants_form ON grants(broker_id, form_document_id);

CREATE TABLE grant_contracts (
    grant_id    INTEGER NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
    broker_id   INTEGER NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    PRIMARY KEY (grant_id, contract_id)
);
CREATE INDEX grant_contracts_contract ON grant_contracts(broker_id, contract_id);

ALTER TABLE sessions ADD COLUMN folder_id INTEGER REFERENCES customers(id) ON DELETE SET NULL;
ALTER TABLE conversations ADD COLUMN grantee_id INTEGER REFERENCES users(id);

UPDATE customers SET country = 'DE' WHERE LOWER(country) IN ('deutschland', 'germany');
