-- Up Migration

-- The bot's per-user rate limit, shared by every instance. A token bucket kept as the one instant
-- it is full again (full_at): each action pushes it one token's time later, an action is allowed
-- while full_at stays within the burst from now. A row past full_at says nothing an absent row
-- does not, so pruning is a plain delete. No index beyond the key, so updates stay HOT.
CREATE TABLE bot_rate_limits (
  user_id bigint NOT NULL, -- Telegram id, not a foreign key: a flood from an unrecorded user is limited too
  full_at timestamptz NOT NULL,
  refusals integer NOT NULL DEFAULT 0, -- actions refused in a row: the first gets a reply, the rest silence
  CONSTRAINT bot_rate_limits_pkey PRIMARY KEY (user_id),
  CONSTRAINT bot_rate_limits_refusals_check CHECK (refusals >= 0)
) WITH (fillfactor = 80);
COMMENT ON TABLE bot_rate_limits IS 'Per-user token bucket of the bot, shared by every instance.';

-- Down Migration

DROP TABLE bot_rate_limits;
