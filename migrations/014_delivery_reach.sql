-- Up Migration

-- Who the bot can no longer write to, and what that did to deliveries. A user who blocked the bot
-- (or whose account is gone) answers 403 to every message: the delivery of their order stops at
-- once instead of being retried for weeks, and resumes when they unblock the bot.
ALTER TABLE users ADD COLUMN bot_blocked_at timestamptz;
COMMENT ON COLUMN users.bot_blocked_at IS
  'When Telegram last said the user blocked the bot or deleted their account; NULL once they are back.';

-- delivery_blocked_at: the buyer could not be reached; cleared when a new try is queued.
-- seller_notified_at: the sale notice is done (sent, or the seller cannot be reached), so a retried
-- delivery never sends it twice, and the buyer's message is never sent again for its sake.
ALTER TABLE orders ADD COLUMN delivery_blocked_at timestamptz;
ALTER TABLE orders ADD COLUMN seller_notified_at timestamptz;
ALTER TABLE orders ADD CONSTRAINT orders_delivery_blocked_at_check
  CHECK (delivery_blocked_at IS NULL OR (paid_at IS NOT NULL AND delivered_at IS NULL));
-- Orders delivered before this migration had their sale notice sent right after.
UPDATE orders SET seller_notified_at = delivered_at WHERE delivered_at IS NOT NULL;
-- The deliveries to resume when a buyer comes back.
CREATE INDEX orders_delivery_blocked_idx ON orders (buyer_id) WHERE delivery_blocked_at IS NOT NULL;

-- Down Migration

DROP INDEX orders_delivery_blocked_idx;
ALTER TABLE orders DROP CONSTRAINT orders_delivery_blocked_at_check;
ALTER TABLE orders DROP COLUMN seller_notified_at;
ALTER TABLE orders DROP COLUMN delivery_blocked_at;
ALTER TABLE users DROP COLUMN bot_blocked_at;
