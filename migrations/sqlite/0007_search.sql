-- The office's search at 100,000 customers: trigram indexes find a part of a name, a company,
-- an e-mail address or a policy number without reading every row. The trigram tokenizer
-- folds case over all of Unicode, so "müller" and "MÜLLER" both find "Müller".
-- (PostgreSQL: pg_trgm indexes on the same columns.)
CREATE VIRTUAL TABLE customers_search USING fts5(
    first_name, last_name, company_name, email,
    content = 'customers', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO customers_search (customers_search) VALUES ('rebuild');

CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_search (rowid, first_name, last_name, company_name, email)
    VALUES (new.id, new.first_name, new.last_name, new.company_name, new.email);
END;
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_search (customers_search, rowid, first_name, last_name, company_name, email)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.company_name, old.email);
END;
CREATE TRIGGER customers_search_update AFTER UPDATE OF first_name, last_name, company_name, email ON customers BEGIN
    INSERT INTO customers_search (customers_search, rowid, first_name, last_name, company_name, email)
    VALUES ('delete', old.id, old.first_name, old.last_name, old.company_name, old.email);
    INSERT INTO customers_search (rowid, first_name, last_name, company_name, email)
    VALUES (new.id, new.first_name, new.last_name, new.company_name, new.email);
END;

CREATE VIRTUAL TABLE contracts_search USING fts5(
    policy_number, content = 'contracts', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO contracts_search (contracts_search) VALUES ('rebuild');

CREATE TRIGGER contracts_search_insert AFTER INSERT ON contracts BEGIN
    INSERT INTO contracts_search (rowid, policy_number) VALUES (new.id, new.policy_number);
END;
CREATE TRIGGER contracts_search_delete AFTER DELETE ON contracts BEGIN
    INSERT INTO contracts_search (contracts_search, rowid, policy_number) VALUES ('delete', old.id, old.policy_number);
END;
CREATE TRIGGER contracts_search_update AFTER UPDATE OF policy_number ON contracts BEGIN
    INSERT INTO contracts_search (contracts_search, rowid, policy_number) VALUES ('delete', old.id, old.policy_number);
    INSERT INTO contracts_search (rowid, policy_number) VALUES (new.id, new.policy_number);
END;

-- The office inbox: unanswered first, then the newest, read off an index in order instead of
-- sorting every conversation; the unread count counts index entries.
CREATE INDEX conversations_office_queue
    ON conversations (broker_id, (last_customer_message > office_read), updated_at, id);
