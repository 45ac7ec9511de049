-- White label: what a broker's customers see instead of any vendor.
--
-- accent_color: the second colour (badges, the bar under the header), '#rrggbb'.
-- phone … privacy_url: contact details and the links to the broker's imprint (Impressum)
-- and privacy policy; NULL when not given.
-- logo_png: the logo as Folio serves it, always a PNG of at most 512 px made from the
-- upload (photos pass the sanitizer, SVGs are rasterised, so no script ever survives).
-- logo_version: when the logo last changed (Unix seconds), 0 without a logo; it goes into
-- the logo's and icons' URLs so browsers fetch the new ones.

ALTER TABLE brokers ADD COLUMN accent_color TEXT NOT NULL DEFAULT '#f59e0b';
ALTER TABLE brokers ADD COLUMN phone TEXT;
ALTER TABLE brokers ADD COLUMN email TEXT;
ALTER TABLE brokers ADD COLUMN address TEXT;
ALTER TABLE brokers ADD COLUMN opening_hours TEXT;
ALTER TABLE brokers ADD COLUMN imprint_url TEXT;
ALTER TABLE brokers ADD COLUMN privacy_url TEXT;
ALTER TABLE brokers ADD COLUMN logo_png BYTEA;
ALTER TABLE brokers ADD COLUMN logo_version BIGINT NOT NULL DEFAULT 0;
