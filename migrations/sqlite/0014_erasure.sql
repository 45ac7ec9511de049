-- Erasing a customer (Art. 17 GDPR) with the broker's retention duty: how many years after
-- the last contract ended documents must be kept (0: none), and a folder's lock while that
-- period runs (only owners open it; housekeeping erases it on `erase_on`, an ISO date, or,
-- while contracts still run, once they have ended and the period is over).
ALTER TABLE brokers ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 10;
ALTER TABLE customers ADD COLUMN locked_at INTEGER;
ALTER TABLE customers ADD COLUMN erase_on TEXT;
