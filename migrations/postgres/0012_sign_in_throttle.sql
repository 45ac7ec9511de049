-- Failed sign-ins are counted here, not in one server's memory, so several servers see the
-- same counts: per account (`a:<broker>:<e-mail>`) and per address (`i:<IPv4>` or
-- `i:<IPv6 /64>`). Each attempt is counted before its password is checked.
CREATE TABLE sign_in_failures (
    key           TEXT   PRIMARY KEY,
    failures      BIGINT NOT NULL,
    last_at       BIGINT NOT NULL,
    blocked_until BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_last ON sign_in_failures(last_at);

-- After many failures the right password alone no longer signs in: a link mailed to the
-- account does (purpose `sign_in`).
ALTER TABLE auth_tokens DROP CONSTRAINT auth_tokens_purpose_check;
ALTER TABLE auth_tokens ADD CONSTRAINT auth_tokens_purpose_check CHECK (purpose IN ('invite', 'reset', 'sign_in'));
