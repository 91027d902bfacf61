-- Up Migration

CREATE TABLE orders (
  -- Short, random, human-typable: 'O-' and ten characters (src/domain/ids.ts), never guessable.
  id text NOT NULL,
  buyer_id bigint NOT NULL,
  -- An order outlives its product: products with orders are only soft-deleted.
  product_id text NOT NULL,
  seller_id bigint NOT NULL,
  product_title text NOT NULL, -- as bought, whatever later edits say
  price_cents integer NOT NULL, -- what the seller earns
  fee_cents integer NOT NULL, -- platform fee, paid by the buyer on top
  total_cents integer NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  paid_payment_id bigint, -- the payment that completed the order (NULL for a free product)
  paid_at timestamptz,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT orders_pkey PRIMARY KEY (id),
  CONSTRAINT orders_buyer_id_fkey FOREIGN KEY (buyer_id) REFERENCES users (id) ON DELETE NO ACTION,
  CONSTRAINT orders_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE NO ACTION,
  CONSTRAINT orders_seller_id_fkey FOREIGN KEY (seller_id) REFERENCES seller_profiles (user_id) ON DELETE NO ACTION,
  CONSTRAINT orders_id_check CHECK (id ~ '^O-[2-9A-HJKMNP-Z]{10}$'),
  CONSTRAINT orders_amounts_check CHECK (
    price_cents >= 0 AND fee_cents >= 0 AND total_cents = price_cents + fee_cents
    AND (price_cents > 0 OR fee_cents = 0)
  ),
  CONSTRAINT orders_status_check CHECK (
    status IN ('pending', 'waiting', 'partially_paid', 'paid', 'expired', 'failed', 'refunded', 'cancelled')
  ),
  -- A paid order says when; only a paid (or later refunded) order may.
  CONSTRAINT orders_paid_at_check CHECK (
    (status <> 'paid' OR paid_at IS NOT NULL) AND (paid_at IS NULL OR status IN ('paid', 'refunded'))
  ),
  CONSTRAINT orders_delivered_at_check CHECK (delivered_at IS NULL OR paid_at IS NOT NULL),
  CONSTRAINT orders_own_product_check CHECK (buyer_id <> seller_id)
);
COMMENT ON TABLE orders IS 'A purchase: buyer, product, amounts in cents, status, paid and delivered times.';

-- One open checkout per buyer and product: a second tap reuses it instead of opening another.
CREATE UNIQUE INDEX orders_buyer_product_open_key ON orders (buyer_id, product_id)
  WHERE status IN ('pending', 'waiting', 'partially_paid');
-- Library (paid purchases, latest first), "already owned?" and "may review?".
CREATE INDEX orders_library_idx ON orders (buyer_id, paid_at DESC) INCLUDE (product_id) WHERE status = 'paid';
-- A buyer's whole order history (admin user detail).
CREATE INDEX orders_buyer_created_idx ON orders (buyer_id, created_at DESC);
-- Seller dashboard, sales history and 30-day analytics (refunds kept for the history).
CREATE INDEX orders_seller_paid_idx ON orders (seller_id, paid_at DESC) INCLUDE (product_id, price_cents, status)
  WHERE paid_at IS NOT NULL;
-- Orders of a product: "has it orders?" before deleting, per-product charts, purge (no order in 30 days).
CREATE INDEX orders_product_created_idx ON orders (product_id, created_at DESC);
-- Expiry job: checkouts still open.
CREATE INDEX orders_open_created_idx ON orders (created_at) WHERE status IN ('pending', 'waiting', 'partially_paid');
-- Delivery retry job: paid but not yet delivered.
CREATE INDEX orders_undelivered_idx ON orders (paid_at) WHERE status = 'paid' AND delivered_at IS NULL;
-- Admin marketplace statistics and order lists by date.
CREATE INDEX orders_paid_idx ON orders (paid_at DESC) INCLUDE (price_cents, fee_cents) WHERE status = 'paid';
CREATE INDEX orders_created_idx ON orders (created_at DESC, id);

CREATE TABLE payments (
  id bigint GENERATED ALWAYS AS IDENTITY,
  provider_payment_id text NOT NULL, -- NOWPayments payment_id
  order_id text NOT NULL,
  pay_currency text NOT NULL, -- provider code, lower case: btc, eth, sol, usdtsol, usdcsol
  pay_address text NOT NULL,
  pay_amount numeric NOT NULL, -- crypto amount asked, exact
  actually_paid numeric NOT NULL DEFAULT 0, -- crypto amount received so far
  price_cents integer NOT NULL, -- the order total sent to the provider
  price_currency text NOT NULL DEFAULT 'usd',
  status text NOT NULL DEFAULT 'waiting',
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT payments_pkey PRIMARY KEY (id),
  CONSTRAINT payments_provider_payment_id_key UNIQUE (provider_payment_id),
  CONSTRAINT payments_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE NO ACTION,
  CONSTRAINT payments_provider_payment_id_check CHECK (char_length(provider_payment_id) BETWEEN 1 AND 64),
  CONSTRAINT payments_pay_currency_check CHECK (pay_currency ~ '^[a-z0-9]{2,20}$'),
  CONSTRAINT payments_pay_address_check CHECK (char_length(pay_address) BETWEEN 1 AND 200),
  CONSTRAINT payments_amounts_check CHECK (pay_amount > 0 AND actually_paid >= 0 AND price_cents > 0),
  CONSTRAINT payments_price_currency_check CHECK (price_currency ~ '^[a-z]{3}$'),
  CONSTRAINT payments_status_check CHECK (
    status IN (
      'waiting', 'confirming', 'confirmed', 'sending', 'partially_paid', 'finished', 'failed', 'refunded', 'expired'
    )
  )
);
COMMENT ON TABLE payments IS 'NOWPayments payments of an order: coin, address, amounts, provider status, expiry.';

-- The payment of an order in a coin, latest first: reused while valid, replaced otherwise.
-- Kept non-unique (code decides): an older payment in another coin may still be paid.
CREATE INDEX payments_order_currency_idx ON payments (order_id, pay_currency, created_at DESC);
-- Expiry job: payments nobody finished paying.
CREATE INDEX payments_open_expires_idx ON payments (expires_at) WHERE status IN ('waiting', 'partially_paid');

ALTER TABLE orders ADD CONSTRAINT orders_paid_payment_id_fkey
  FOREIGN KEY (paid_payment_id) REFERENCES payments (id) ON DELETE NO ACTION;

CREATE TABLE payment_notifications (
  id bigint GENERATED ALWAYS AS IDENTITY,
  -- One row per provider event, e.g. payment id + status + amount paid: a notification sent
  -- twice is stored once (INSERT ... ON CONFLICT DO NOTHING tells the handler it is a repeat).
  dedupe_key text NOT NULL,
  source text NOT NULL DEFAULT 'ipn', -- 'ipn': pushed and signed; 'poll': read back from the API
  verified boolean NOT NULL,
  -- Copied from the body as received, unchecked: storing what arrived must never fail.
  provider_payment_id text,
  order_id text,
  payment_status text,
  body jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  processing_error text,
  CONSTRAINT payment_notifications_pkey PRIMARY KEY (id),
  CONSTRAINT payment_notifications_dedupe_key UNIQUE (dedupe_key),
  CONSTRAINT payment_notifications_dedupe_key_check CHECK (char_length(dedupe_key) BETWEEN 1 AND 200),
  CONSTRAINT payment_notifications_source_check CHECK (source IN ('ipn', 'poll'))
);
COMMENT ON TABLE payment_notifications IS 'Every accepted provider notification, raw, with its verification and processing.';

-- History of one payment (admin payment detail).
CREATE INDEX payment_notifications_payment_idx ON payment_notifications (provider_payment_id, received_at)
  WHERE provider_payment_id IS NOT NULL;
-- Notifications stored but not applied yet (crash between store and apply).
CREATE INDEX payment_notifications_unprocessed_idx ON payment_notifications (received_at)
  WHERE processed_at IS NULL;

CREATE TABLE payouts (
  id bigint GENERATED ALWAYS AS IDENTITY,
  order_id text NOT NULL,
  seller_id bigint NOT NULL,
  amount_cents integer NOT NULL,
  -- escrow -> available -> paid; cancelled when the order is refunded before the payout.
  status text NOT NULL DEFAULT 'escrow',
  escrow_until timestamptz NOT NULL,
  available_at timestamptz,
  paid_at timestamptz,
  paid_by bigint, -- admin Telegram id
  tx_hash text, -- Solana transaction signature
  paid_to_address text, -- the payout address at payment time (it may change later)
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT payouts_pkey PRIMARY KEY (id),
  -- One payout line per paid order, however many times completion runs.
  CONSTRAINT payouts_order_id_key UNIQUE (order_id),
  CONSTRAINT payouts_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE NO ACTION,
  CONSTRAINT payouts_seller_id_fkey FOREIGN KEY (seller_id) REFERENCES seller_profiles (user_id) ON DELETE NO ACTION,
  CONSTRAINT payouts_amount_check CHECK (amount_cents > 0),
  CONSTRAINT payouts_status_check CHECK (status IN ('escrow', 'available', 'paid', 'cancelled')),
  CONSTRAINT payouts_paid_check CHECK (
    (status = 'paid') = (paid_at IS NOT NULL)
    AND (status <> 'paid' OR (paid_by IS NOT NULL AND tx_hash IS NOT NULL AND paid_to_address IS NOT NULL))
  ),
  CONSTRAINT payouts_tx_hash_check CHECK (tx_hash ~ '^[1-9A-HJ-NP-Za-km-z]{32,128}$'),
  CONSTRAINT payouts_paid_to_address_check CHECK (paid_to_address ~ '^[1-9A-HJ-NP-Za-km-z]{32,44}$')
);
COMMENT ON TABLE payouts IS 'What the platform owes a seller for one paid order: escrow, then available, then paid.';

-- Seller balances (escrow / available / paid): an index-only sum per status.
CREATE INDEX payouts_seller_status_idx ON payouts (seller_id, status) INCLUDE (amount_cents);
-- Seller payout history, latest first.
CREATE INDEX payouts_seller_created_idx ON payouts (seller_id, created_at DESC);
-- Escrow release job (escrow, escrow_until <= now) and the admin pending list by page.
CREATE INDEX payouts_status_escrow_idx ON payouts (status, escrow_until, id);

-- Down Migration

DROP TABLE payouts;
DROP TABLE payment_notifications;
ALTER TABLE orders DROP CONSTRAINT orders_paid_payment_id_fkey;
DROP TABLE payments;
DROP TABLE orders;
