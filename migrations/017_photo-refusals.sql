-- Up Migration

-- Telegram may still refuse a cover or preview that passed our checks at upload (it could not
-- process the picture). The refusal is remembered on the stored file, so the bot shows the
-- product as a text card instead of asking Telegram again on every visit. A new cover is a new
-- stored file: it starts unrefused.
ALTER TABLE stored_files ADD COLUMN photo_refused_at timestamptz;

-- Down Migration

ALTER TABLE stored_files DROP COLUMN photo_refused_at;
