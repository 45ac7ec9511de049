-- Photos and uploads from the customer's phone.
--
-- upload_key: made by the browser for each chosen file and sent with every attempt, so a
-- retry after a dropped connection finds the document the first attempt already stored
-- instead of storing it twice. NULLs do not collide, so uploads without a key still work.
-- uploaded_by: 'office' (staff and API) or 'customer'.
-- preview_blob: a small re-encoded copy of a photo for lists, made from the clean image.

ALTER TABLE documents ADD COLUMN upload_key TEXT;
ALTER TABLE documents ADD COLUMN uploaded_by TEXT NOT NULL DEFAULT 'office'
    CHECK (uploaded_by IN ('office', 'customer'));
ALTER TABLE documents ADD COLUMN preview_blob TEXT;
CREATE UNIQUE INDEX documents_upload_key ON documents(broker_id, customer_id, upload_key);
