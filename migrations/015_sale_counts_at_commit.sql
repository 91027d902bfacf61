-- Up Migration

-- A product's sales_count is changed as the transaction that pays (or refunds) one of its orders
-- commits. Every sale of a product updates that one row; with every sale on one product, a lock
-- held from the UPDATE to COMMIT made each payment wait for the previous one's round trips
-- (issue 13: 58 ms on average at 200 IPN/s, then 31–35 ms with the UPDATE in the transaction's
-- last statement). The transaction inserts its change here instead, a row no one else touches,
-- and the deferred trigger applies it to the product at COMMIT and deletes it: same transaction,
-- so the counter stays exact, and the product row is locked for the commit alone. The table is
-- empty outside a transaction in flight.
CREATE TABLE product_sale_changes (
  id bigint GENERATED ALWAYS AS IDENTITY,
  product_id text NOT NULL, -- no foreign key: the row lives only until its COMMIT
  delta smallint NOT NULL,
  CONSTRAINT product_sale_changes_pkey PRIMARY KEY (id),
  CONSTRAINT product_sale_changes_delta_check CHECK (delta IN (-1, 1))
);
COMMENT ON TABLE product_sale_changes IS 'Sale counter changes of transactions in flight, applied to products at COMMIT.';

CREATE FUNCTION apply_product_sale_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.delta > 0 THEN
    UPDATE products SET sales_count = sales_count + 1 WHERE id = NEW.product_id;
  ELSE
    UPDATE products SET sales_count = sales_count - 1 WHERE id = NEW.product_id AND sales_count > 0;
  END IF;
  DELETE FROM product_sale_changes WHERE id = NEW.id;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER product_sale_changes_apply AFTER INSERT ON product_sale_changes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION apply_product_sale_change();

-- Down Migration

DROP TRIGGER product_sale_changes_apply ON product_sale_changes;
DROP FUNCTION apply_product_sale_change();
DROP TABLE product_sale_changes;
