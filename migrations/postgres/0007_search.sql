-- The office's search at 100,000 customers: trigram indexes find a part of a name, a company,
-- an e-mail address or a policy number without reading every row, case folded by lower()
-- (a UTF-8 database: "müller" and "MÜLLER" both find "Müller").
-- (SQLite: FTS5 tables with the trigram tokenizer on the same columns.)
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX customers_search ON customers USING gin (
    (lower(first_name || ' ' || last_name || ' ' || COALESCE(company_name, '') || ' ' || COALESCE(email, '')))
    gin_trgm_ops
);
CREATE INDEX contracts_search ON contracts USING gin ((lower(policy_number)) gin_trgm_ops);

-- The office inbox: unanswered first, then the newest, read off an index in order instead of
-- sorting every conversation; the unread count counts index entries.
CREATE INDEX conversations_office_queue
    ON conversations (broker_id, (last_customer_message > office_read), updated_at, id);
