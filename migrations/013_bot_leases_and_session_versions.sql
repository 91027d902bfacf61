-- Up Migration

-- Several instances serve one bot. A session's version lets a write say which version it
-- replaces: a write from an update that read an older one is refused instead of silently
-- overwriting another instance's.
ALTER TABLE bot_sessions ADD COLUMN version bigint NOT NULL DEFAULT 1;

-- Leases: one holder at a time per name (the bot's long poller, a chat's update), taken and
-- renewed by single statements, so they work through a transaction pooler (no session locks).
-- A holder that dies stops renewing: its lease expires and another may take it.
CREATE TABLE bot_leases (
  name text NOT NULL,
  holder text NOT NULL,
  acquired_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  CONSTRAINT bot_leases_pkey PRIMARY KEY (name),
  CONSTRAINT bot_leases_name_check CHECK (char_length(name) BETWEEN 1 AND 255),
  CONSTRAINT bot_leases_holder_check CHECK (char_length(holder) BETWEEN 1 AND 255)
);
COMMENT ON TABLE bot_leases IS 'Who holds what among the instances (the long poller, a chat being handled), until when.';

-- Down Migration

DROP TABLE bot_leases;
ALTER TABLE bot_sessions DROP COLUMN version;
