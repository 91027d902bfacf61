// The typed query methods, transactions and the errors they raise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CheckViolationError,
  DbError,
  ForeignKeyViolationError,
  NoRowError,
  NotNullViolationError,
  QueryError,
  StatementTimeoutError,
  TooManyRowsError,
  TransactionConflictError,
  UniqueViolationError,
} from '../../src/db/index.ts';
import { freshDatabase, testDatabase } from '../support/database.ts';

const url = await freshDatabase();
const db = testDatabase(url, { max: 4 });
await db.exec(`
  CREATE TABLE sellers (id int PRIMARY KEY, name text NOT NULL);
  CREATE TABLE products (
    id int PRIMARY KEY,
    seller_id int NOT NULL REFERENCES sellers (id),
    title text NOT NULL CONSTRAINT products_title_key UNIQUE,
    price_cents int NOT NULL CONSTRAINT products_price_check CHECK (price_cents >= 0)
  );
  CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL);
  INSERT INTO sellers VALUES (1, 'Ada'), (2, 'Linus');
  INSERT INTO products VALUES (1, 1, 'Guide', 1000), (2, 1, 'Course', 2000);
  INSERT INTO counters VALUES (1, 0);
`);

test('one, maybeOne, many, rows and exec return what their names say', async () => {
  assert.deepEqual(await db.one('SELECT id, title FROM products WHERE id = $1', [1]), {
    id: 1,
    title: 'Guide',
  });
  await assert.rejects(db.one('SELECT * FROM products WHERE id = $1', [99]), NoRowError);
  await assert.rejects(db.one('SELECT * FROM products'), TooManyRowsError);
  assert.equal(await db.maybeOne('SELECT * FROM products WHERE id = $1', [99]), null);
  await assert.rejects(db.maybeOne('SELECT * FROM products'), TooManyRowsError);
  assert.deepEqual(await db.many('SELECT id FROM products ORDER BY id'), [{ id: 1 }, { id: 2 }]);
  assert.deepEqual(await db.many('SELECT id FROM products WHERE false'), []);
  assert.deepEqual(await db.rows('SELECT id, title FROM products ORDER BY id'), [
    [1, 'Guide'],
    [2, 'Course'],
  ]);
  assert.equal(await db.exec('UPDATE products SET price_cents = price_cents WHERE seller_id = $1', [1]), 2);
});

test('constraint violations surface as typed errors naming the constraint', async () => {
  const unique = await db.exec("INSERT INTO products VALUES (3, 1, 'Guide', 1)").catch((e: unknown) => e);
  assert.ok(unique instanceof UniqueViolationError);
  assert.equal(unique.constraint, 'products_title_key');
  assert.equal(unique.code, 'db_unique_violation');
  const check = await db.exec("INSERT INTO products VALUES (3, 1, 'X', -1)").catch((e: unknown) => e);
  assert.ok(check instanceof CheckViolationError);
  assert.equal(check.constraint, 'products_price_check');
  await assert.rejects(db.exec("INSERT INTO products VALUES (3, 9, 'Y', 1)"), ForeignKeyViolationError);
  await assert.rejects(db.exec('INSERT INTO products VALUES (3, 1, NULL, 1)'), NotNullViolationError);
  const syntax = await db.exec('SELEC 1').catch((e: unknown) => e);
  assert.ok(syntax instanceof QueryError);
  assert.equal(syntax.sqlState, '42601');
  assert.match(syntax.message, /SELEC 1/, 'the message names the statement');
});

test('a statement past the statement timeout fails with StatementTimeoutError', async () => {
  const quick = testDatabase(url, { max: 1, statementTimeoutMs: 100 });
  await assert.rejects(quick.one('SELECT pg_sleep(2)'), StatementTimeoutError);
  assert.equal((await quick.one<{ x: number }>('SELECT 1 AS x')).x, 1, 'the connection is still usable');
});

test('transaction commits on return and rolls back on throw', async () => {
  await db.transaction(async (tx) => {
    await tx.exec('UPDATE counters SET n = n + 1 WHERE id = 1');
    await tx.exec('UPDATE counters SET n = n + 1 WHERE id = 1');
  });
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.exec('UPDATE counters SET n = n + 100 WHERE id = 1');
      throw new Error('changed my mind');
    }),
    /changed my mind/,
  );
  assert.equal((await db.one<{ n: number }>('SELECT n FROM counters WHERE id = 1')).n, 2);
});

test('nested transactions are savepoints: an inner failure rolls back only the inner work', async () => {
  await db.exec('UPDATE counters SET n = 0 WHERE id = 1');
  const result = await db.transaction(async (tx) => {
    await tx.exec('UPDATE counters SET n = n + 1 WHERE id = 1');
    await tx
      .transaction(async (inner) => {
        await inner.exec('UPDATE counters SET n = n + 10 WHERE id = 1');
        await inner.exec('SELECT 1 / 0');
      })
      .catch(() => 'inner failed');
    await tx.transaction(async (inner) => {
      await inner.exec('UPDATE counters SET n = n + 100 WHERE id = 1');
    });
    return tx.one<{ n: number }>('SELECT n FROM counters WHERE id = 1');
  });
  assert.equal(result.n, 101);
  assert.equal((await db.one<{ n: number }>('SELECT n FROM counters WHERE id = 1')).n, 101);
  await assert.rejects(
    db.transaction((tx) => tx.transaction(async () => {}, { isolation: 'serializable' })),
    DbError,
  );
});

test('isolation and read-only options reach the server', async () => {
  const seen = await db.transaction(
    (tx) =>
      tx.one<{ iso: string; ro: string }>(
        "SELECT current_setting('transaction_isolation') AS iso, current_setting('transaction_read_only') AS ro",
      ),
    { isolation: 'serializable', readOnly: true },
  );
  assert.deepEqual(seen, { iso: 'serializable', ro: 'on' });
  const write = await db
    .transaction((tx) => tx.exec('UPDATE counters SET n = 0'), { readOnly: true })
    .catch((e: unknown) => e);
  assert.ok(write instanceof QueryError);
  assert.equal(write.sqlState, '25006');
});

test('a transaction whose statement failed silently is reported, not committed', async () => {
  await db.exec('UPDATE counters SET n = 0 WHERE id = 1');
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.exec('UPDATE counters SET n = 5 WHERE id = 1');
      await tx.exec('SELECT 1 / 0').catch(() => {}); // swallowed by mistake
    }),
    /rolled back/,
  );
  assert.equal((await db.one<{ n: number }>('SELECT n FROM counters WHERE id = 1')).n, 0);
});

test('serialization failures are typed, and retried when asked', async () => {
  await db.exec('UPDATE counters SET n = 0 WHERE id = 1');
  // Two serializable read-modify-write transactions that meet in the middle.
  let arrived = 0;
  let bothRead = () => {};
  const barrier = new Promise<void>((resolve) => {
    bothRead = resolve;
  });
  const increment = (retries: number) =>
    db.transaction(
      async (tx) => {
        const { n } = await tx.one<{ n: number }>('SELECT n FROM counters WHERE id = 1');
        if (++arrived === 2) bothRead();
        await Promise.race([barrier, new Promise((r) => setTimeout(r, 200))]);
        await tx.exec('UPDATE counters SET n = $1 WHERE id = 1', [n + 1]);
      },
      { isolation: 'serializable', retries },
    );
  const outcomes = await Promise.allSettled([increment(0), increment(0)]);
  const failed = outcomes.filter((o) => o.status === 'rejected');
  assert.equal(failed.length, 1);
  assert.ok((failed[0] as PromiseRejectedResult).reason instanceof TransactionConflictError);

  await db.exec('UPDATE counters SET n = 0 WHERE id = 1');
  arrived = 0;
  await Promise.all([increment(3), increment(3)]);
  assert.equal((await db.one<{ n: number }>('SELECT n FROM counters WHERE id = 1')).n, 2, 'no lost update');
});

test('a script given no parameters runs whole and answers the rows of every statement', async () => {
  assert.deepEqual(await db.many('SELECT 1 AS n; SELECT 2 AS n, 3 AS m'), [{ n: 1 }, { n: 2, m: 3 }]);
  const touched = await db.transaction(async (tx) => {
    await tx.exec('CREATE TEMP TABLE script_rows (n int) ON COMMIT DROP');
    return tx.exec('INSERT INTO script_rows VALUES (1), (2); UPDATE script_rows SET n = 0');
  });
  assert.equal(touched, 4, 'two inserted, then two updated');
});
