-- A second factor (R1, ASVS level 2). An authenticator app per account: its shared secret,
-- set up once the first code proved it (`confirmed_at`), and the newest 30-second step a
-- code was accepted for, so no code counts twice.
CREATE TABLE totp_factors (
    user_id      BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    broker_id    BIGINT NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    secret       TEXT    NOT NULL,
    created_at   BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_step    BIGINT NOT NULL DEFAULT 0
);

-- Ten single-use codes for a lost phone, shown once; only their digests are kept.
CREATE TABLE recovery_codes (
    code_hash  TEXT    PRIMARY KEY,
    broker_id  BIGINT NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes(broker_id, user_id);

-- A sign-in whose password was right and whose second factor is still to come, held for
-- ten minutes under a cookie's digest, so any server can finish what another began.
CREATE TABLE sign_in_challenges (
    id_hash    TEXT    PRIMARY KEY,
    broker_id  BIGINT NOT NULL REFERENCES brokers(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    failures   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sign_in_challenges_expiry ON sign_in_challenges(expires_at);

-- When the person last proved who they are in this session (a password or a second factor):
-- sensitive owner actions ask again after ten minutes. NULL: at the session's start.
ALTER TABLE sessions ADD COLUMN proved_at BIGINT;

-- Who must use a second factor: `owners` or `staff` (all staff) on the office's side,
-- `optional` or `required` for customers. Brokers from before stay as they were (no one
-- is locked out by an upgrade); `folio broker add` starts a new broker with owners.
ALTER TABLE brokers ADD COLUMN staff_second_factor TEXT NOT NULL DEFAULT 'optional'
    CHECK (staff_second_factor IN ('optional', 'owners', 'staff'));
ALTER TABLE brokers ADD COLUMN customer_second_factor TEXT NOT NULL DEFAULT 'optional'
    CHECK (customer_second_factor IN ('optional', 'required'));
