-- Up Migration

CREATE TABLE reviews (
  id bigint GENERATED ALWAYS AS IDENTITY,
  product_id text NOT NULL,
  buyer_id bigint NOT NULL,
  rating smallint NOT NULL,
  body text, -- optional written review
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reviews_pkey PRIMARY KEY (id),
  -- One review per buyer and product; editing updates it (INSERT ... ON CONFLICT DO UPDATE).
  CONSTRAINT reviews_buyer_product_key UNIQUE (buyer_id, product_id),
  CONSTRAINT reviews_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE NO ACTION,
  CONSTRAINT reviews_buyer_id_fkey FOREIGN KEY (buyer_id) REFERENCES users (id) ON DELETE NO ACTION,
  CONSTRAINT reviews_rating_check CHECK (rating BETWEEN 1 AND 5),
  CONSTRAINT reviews_body_check CHECK (char_length(body) BETWEEN 10 AND 1000)
);
COMMENT ON TABLE reviews IS 'A buyer''s 1-5 star rating of a product, with optional text; one per buyer and product.';

-- Reviews page of a product (5 per page, newest first) and its star histogram.
CREATE INDEX reviews_product_created_idx ON reviews (product_id, created_at DESC, id);

CREATE TABLE tickets (
  id bigint GENERATED ALWAYS AS IDENTITY,
  user_id bigint NOT NULL, -- who opened it
  -- Set for a buyer <-> seller thread relayed by the bot; such a thread is about an order.
  seller_id bigint,
  order_id text, -- "report a problem" and seller threads are linked to the order
  subject text NOT NULL,
  email text,
  status text NOT NULL DEFAULT 'open',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(), -- last message or status change
  CONSTRAINT tickets_pkey PRIMARY KEY (id),
  CONSTRAINT tickets_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE NO ACTION,
  CONSTRAINT tickets_seller_id_fkey FOREIGN KEY (seller_id) REFERENCES seller_profiles (user_id) ON DELETE NO ACTION,
  CONSTRAINT tickets_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE NO ACTION,
  CONSTRAINT tickets_subject_check CHECK (char_length(subject) BETWEEN 3 AND 100),
  CONSTRAINT tickets_email_check CHECK (
    char_length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'
  ),
  CONSTRAINT tickets_status_check CHECK (status IN ('open', 'pending_user', 'pending_admin', 'resolved', 'closed')),
  CONSTRAINT tickets_seller_thread_check CHECK (seller_id IS NULL OR (order_id IS NOT NULL AND seller_id <> user_id))
);
COMMENT ON TABLE tickets IS 'Support tickets and buyer-seller threads: subject, status, optional order and seller.';

-- At most one open problem report and one open seller thread per order: a double tap reuses it.
CREATE UNIQUE INDEX tickets_order_open_key ON tickets (order_id, (seller_id IS NOT NULL))
  WHERE order_id IS NOT NULL AND status IN ('open', 'pending_user', 'pending_admin');
-- "My tickets", latest activity first.
CREATE INDEX tickets_user_idx ON tickets (user_id, updated_at DESC);
-- A seller's buyer threads.
CREATE INDEX tickets_seller_idx ON tickets (seller_id, updated_at DESC) WHERE seller_id IS NOT NULL;
-- Admin inbox by status.
CREATE INDEX tickets_status_idx ON tickets (status, updated_at DESC);
-- Tickets about an order (admin order detail).
CREATE INDEX tickets_order_idx ON tickets (order_id) WHERE order_id IS NOT NULL;

CREATE TABLE ticket_messages (
  id bigint GENERATED ALWAYS AS IDENTITY,
  ticket_id bigint NOT NULL,
  author_id bigint NOT NULL,
  author_role text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ticket_messages_pkey PRIMARY KEY (id),
  CONSTRAINT ticket_messages_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE NO ACTION,
  CONSTRAINT ticket_messages_author_id_fkey FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE NO ACTION,
  CONSTRAINT ticket_messages_author_role_check CHECK (author_role IN ('user', 'seller', 'admin')),
  CONSTRAINT ticket_messages_body_check CHECK (char_length(body) BETWEEN 1 AND 2000)
);
COMMENT ON TABLE ticket_messages IS 'The thread of a ticket: who wrote (user, seller or admin) and what.';

-- A ticket's thread in order.
CREATE INDEX ticket_messages_ticket_idx ON ticket_messages (ticket_id, created_at, id);

-- Down Migration

DROP TABLE ticket_messages;
DROP TABLE tickets;
DROP TABLE reviews;
