// The SQL of database snapshots (backup and restore), over plain SQL through our pool: the
// embedded server ships no pg_dump, and an external server's client tools may not match it.
// Every application table of the `public` schema is covered, schema_migrations included (the
// schema version travels with the rows). pg-boss's own schema is left out on purpose (see the
// README, "Backups and restore").
//
// A row travels as the JSON array of its columns' text forms, `["42","Élodie",null,…]`: text
// output and input round-trip every PostgreSQL type exactly (numeric, bigint, jsonb, arrays),
// which JSON numbers would not. Generated columns are left out: the restore computes them again.
import type { Queryable, Transaction } from '../db/index.ts';

const SCHEMA = 'public';
/** node-pg-migrate's table, as src/db/migrate.ts names it. */
const MIGRATIONS_TABLE = 'schema_migrations';

export interface SnapshotColumn {
  name: string;
  /** As `format_type` writes it, e.g. `character varying(64)`: what a value is cast back to. */
  type: string;
}

export interface SnapshotTable {
  name: string;
  /** Every stored column but generated ones, in table order. */
  columns: SnapshotColumn[];
}

/** What identifies a table's content: its row count and an order-independent checksum. */
export interface TableSummary {
  rows: number;
  checksum: string;
}

export interface SequenceState {
  name: string;
  /** bigint as text. */
  lastValue: string;
  isCalled: boolean;
}

export interface ForeignKey {
  table: string;
  name: string;
  /** `pg_get_constraintdef`, e.g. `FOREIGN KEY (user_id) REFERENCES users(id)`. */
  definition: string;
}

export interface IndexDefinition {
  name: string;
  /** `pg_get_indexdef`: the CREATE INDEX statement. */
  definition: string;
}

export interface UserTrigger {
  table: string;
  name: string;
}

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const qualified = (name: string): string => `${SCHEMA}.${ident(name)}`;

/** The text a row is written as in a snapshot, one JSON array line. */
function rowLineSql(table: SnapshotTable): string {
  if (table.columns.length === 0) return `'[]'::text`;
  const values = table.columns.map((column) => `${ident(column.name)}::text`).join(', ');
  return `array_to_json(ARRAY[${values}]::text[])::text`;
}

/**
 * Text output depends on session settings (a timestamptz prints in the session's time zone):
 * pinned for this transaction, so backup and restore write and compare the same text. No
 * statement timeout: reading or loading a whole table is legitimately long.
 */
export async function pinSnapshotSettings(tx: Transaction): Promise<void> {
  await tx.exec(
    `SELECT set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true),
       set_config('IntervalStyle', 'postgres', true), set_config('bytea_output', 'hex', true),
       set_config('extra_float_digits', '1', true), set_config('statement_timeout', '0', true)`,
  );
}

/** The latest applied migration, or null when the database was never migrated. */
export async function getSchemaVersion(q: Queryable): Promise<string | null> {
  const row = await q.one<{ migrated: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS migrated`, [
    qualified(MIGRATIONS_TABLE),
  ]);
  if (!row.migrated) return null;
  const latest = await q.maybeOne<{ name: string }>(
    `SELECT name FROM ${qualified(MIGRATIONS_TABLE)} ORDER BY id DESC LIMIT 1`,
  );
  return latest?.name ?? null;
}

/** The application tables (not those of extensions, not partitions), by name. */
export async function listTables(q: Queryable): Promise<SnapshotTable[]> {
  return q.many<SnapshotTable & Record<string, unknown>>(
    `SELECT c.relname AS name,
       coalesce(json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod))
         ORDER BY a.attnum) FILTER (WHERE a.attgenerated = ''), '[]') AS columns
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = $1
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                       WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     GROUP BY c.relname
     ORDER BY c.relname COLLATE "C"`,
    [SCHEMA],
  );
}

/**
 * Row count and checksum of a table as the snapshot writes it: the sum, over rows, of the first
 * 60 bits of the SHA-256 of each row's line. Order-independent, so no sort; computed by the
 * server in constant memory; `rowChecksum` in the snapshot file computes the same in Node.
 */
export async function summarizeTable(q: Queryable, table: SnapshotTable): Promise<TableSummary> {
  return q.one<TableSummary & Record<string, unknown>>(
    `SELECT count(*) AS rows,
       coalesce(sum(('x' || left(encode(sha256(convert_to(line, 'UTF8')), 'hex'), 15))::bit(60)::bigint), 0)::text
         AS checksum
     FROM (SELECT ${rowLineSql(table)} AS line FROM ${qualified(table.name)}) AS snapshot`,
  );
}

/**
 * The table's rows as snapshot lines, `batchSize` at a time, through a cursor: memory stays
 * flat whatever the table's size. Runs inside the caller's transaction (its snapshot).
 */
export async function* readTableLines(
  tx: Transaction,
  table: SnapshotTable,
  batchSize: number,
): AsyncGenerator<string[]> {
  await tx.exec(
    `DECLARE agora_snapshot NO SCROLL CURSOR FOR SELECT ${rowLineSql(table)} FROM ${qualified(table.name)}`,
  );
  try {
    for (;;) {
      const rows = await tx.rows<[string]>(`FETCH FORWARD ${Math.trunc(batchSize)} FROM agora_snapshot`);
      if (rows.length > 0) yield rows.map(([line]) => line);
      if (rows.length < batchSize) return;
    }
  } finally {
    await tx.exec('CLOSE agora_snapshot');
  }
}

/** The application's sequences (identity columns' included) and where each stands. */
export async function readSequences(q: Queryable): Promise<SequenceState[]> {
  const names = await q.many<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = $1
     WHERE c.relkind = 'S'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                       WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY c.relname COLLATE "C"`,
    [SCHEMA],
  );
  const states: SequenceState[] = [];
  for (const { name } of names) {
    // Sequences are not transactional: this is where they stand now, at or past every id in the snapshot.
    const state = await q.one<{ lastValue: string; isCalled: boolean }>(
      `SELECT last_value::text AS "lastValue", is_called AS "isCalled" FROM ${qualified(name)}`,
    );
    states.push({ name, ...state });
  }
  return states;
}

export async function restoreSequence(q: Queryable, sequence: SequenceState): Promise<void> {
  await q.exec('SELECT setval($1::regclass, $2::bigint, $3)', [
    qualified(sequence.name),
    sequence.lastValue,
    sequence.isCalled,
  ]);
}

/** Keeps every other session out of these tables until the transaction ends. */
export async function lockTables(tx: Transaction, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  await tx.exec(`LOCK TABLE ${tables.map(qualified).join(', ')} IN ACCESS EXCLUSIVE MODE`);
}

/**
 * Tables holding rows the migrations did not write. node-pg-migrate applies each migration in
 * a transaction with its schema_migrations row, so a row a migration inserted (the default
 * categories) shares that row's xmin; a row inserted or updated since does not.
 */
export async function tablesWithData(
  q: Queryable,
  tables: readonly string[],
): Promise<{ table: string; rows: number }[]> {
  const filled: { table: string; rows: number }[] = [];
  for (const table of tables) {
    const { rows } = await q.one<{ rows: number }>(
      `SELECT count(*) AS rows FROM ${qualified(table)}
       WHERE NOT (xmin = ANY (ARRAY(SELECT xmin FROM ${qualified(MIGRATIONS_TABLE)})))`,
    );
    if (rows > 0) filled.push({ table, rows });
  }
  return filled;
}

export async function truncateTables(tx: Transaction, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  await tx.exec(`TRUNCATE ${tables.map(qualified).join(', ')}`);
}

/**
 * Drops the foreign keys between these tables and returns them, to be added back once every
 * row is in: rows then load in any order (orders and payments point at each other), and adding
 * a key back checks every row at once.
 */
export async function dropForeignKeys(tx: Transaction, tables: readonly string[]): Promise<ForeignKey[]> {
  const keys = await tx.many<ForeignKey & Record<string, unknown>>(
    `SELECT c.relname AS "table", con.conname AS name, pg_get_constraintdef(con.oid) AS definition
     FROM pg_constraint con
     JOIN pg_class c ON c.oid = con.conrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = $1
     WHERE con.contype = 'f' AND c.relname = ANY ($2::text[])
     ORDER BY c.relname COLLATE "C", con.conname COLLATE "C"`,
    [SCHEMA, tables],
  );
  for (const key of keys) {
    await tx.exec(`ALTER TABLE ${qualified(key.table)} DROP CONSTRAINT ${ident(key.name)}`);
  }
  return keys;
}

/** ForeignKeyViolationError when a row points at nothing. */
export async function addForeignKeys(tx: Transaction, keys: readonly ForeignKey[]): Promise<void> {
  for (const key of keys) {
    await tx.exec(`ALTER TABLE ${qualified(key.table)} ADD CONSTRAINT ${ident(key.name)} ${key.definition}`);
  }
}

/**
 * Drops the indexes of these tables that back no constraint (search, listing and partial unique
 * indexes) and returns them, to be built again once the rows are in: one build per index instead
 * of an update per row. Building a unique one checks every row at once.
 */
export async function dropSecondaryIndexes(
  tx: Transaction,
  tables: readonly string[],
): Promise<IndexDefinition[]> {
  const indexes = await tx.many<IndexDefinition & Record<string, unknown>>(
    `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     JOIN pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_class c ON c.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = $1
     WHERE c.relname = ANY ($2::text[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)
     ORDER BY ic.relname COLLATE "C"`,
    [SCHEMA, tables],
  );
  for (const index of indexes) await tx.exec(`DROP INDEX ${qualified(index.name)}`);
  return indexes;
}

/** UniqueViolationError when the rows break a unique index. */
export async function createIndexes(tx: Transaction, indexes: readonly IndexDefinition[]): Promise<void> {
  for (const index of indexes) await tx.exec(index.definition);
}

/** Turns off the application's own triggers on these tables (loaded rows are already complete). */
export async function disableUserTriggers(
  tx: Transaction,
  tables: readonly string[],
): Promise<UserTrigger[]> {
  const triggers = await tx.many<UserTrigger & Record<string, unknown>>(
    `SELECT c.relname AS "table", t.tgname AS name
     FROM pg_trigger t
     JOIN pg_class c ON c.oid = t.tgrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = $1
     WHERE NOT t.tgisinternal AND t.tgenabled = 'O' AND c.relname = ANY ($2::text[])`,
    [SCHEMA, tables],
  );
  for (const trigger of triggers) {
    await tx.exec(`ALTER TABLE ${qualified(trigger.table)} DISABLE TRIGGER ${ident(trigger.name)}`);
  }
  return triggers;
}

export async function enableUserTriggers(tx: Transaction, triggers: readonly UserTrigger[]): Promise<void> {
  for (const trigger of triggers) {
    await tx.exec(`ALTER TABLE ${qualified(trigger.table)} ENABLE TRIGGER ${ident(trigger.name)}`);
  }
}

/**
 * Inserts snapshot lines (JSON arrays of text values, in the table's column order), each value
 * cast back to its column's type; identity values are kept as they were.
 */
export async function insertLines(
  tx: Transaction,
  table: SnapshotTable,
  lines: readonly string[],
): Promise<number> {
  if (lines.length === 0) return 0;
  const columns = table.columns.map((column) => ident(column.name)).join(', ');
  const values = table.columns.map((column, i) => `(v->>${i})::${column.type}`).join(', ');
  return tx.exec(
    `INSERT INTO ${qualified(table.name)} (${columns}) OVERRIDING SYSTEM VALUE
     SELECT ${values} FROM jsonb_array_elements($1::jsonb) AS r(v)`,
    [`[${lines.join(',')}]`],
  );
}
