-- A deleted staff account keeps its row, so the trail and the messages still name who
-- acted; it loses its address (free for a new invitation), its password and every way in.
ALTER TABLE users ADD COLUMN deleted_at INTEGER;
