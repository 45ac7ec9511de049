-- Where a record's values came from, for a person's copy of their data (Art. 15 GDPR):
-- `staff:<user id>`, `customer:<user id>`, `api_key:<key id>`, `system`, or
-- `change_request:<conversation id>` (a change the customer asked for, applied by staff).
-- Records written before this migration have none: the copy says "not recorded".
ALTER TABLE customers ADD COLUMN created_by TEXT;
ALTER TABLE customers ADD COLUMN changed_by TEXT;
ALTER TABLE contracts ADD COLUMN created_by TEXT;
ALTER TABLE contracts ADD COLUMN changed_by TEXT;
ALTER TABLE documents ADD COLUMN created_by TEXT;

-- The device a session was opened on, coarsely ("Chrome · Android", from the User-Agent; never
-- the header itself), so a person recognises their sessions in their copy.
ALTER TABLE sessions ADD COLUMN device TEXT;
