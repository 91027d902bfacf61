// What a restore checks and how it loads: the snapshot's refusals (schema version, tables,
// a non-empty target, a failed verification), the rows loaded with keys and indexes rebuilt
// once, and the server's own recount afterwards.
import { readdir } from 'node:fs/promises';
import { MIGRATIONS_DIR, QueryError, type Transaction } from '../db/index.ts';
import {
  addForeignKeys,
  createIndexes,
  disableUserTriggers,
  dropForeignKeys,
  dropSecondaryIndexes,
  enableUserTriggers,
  insertLines,
  type SnapshotTable,
  summarizeTable,
} from '../repositories/snapshot.ts';
import { ConflictError } from './errors.ts';
import { readSnapshotRows, type SnapshotHeader, SnapshotInvalidError } from './snapshot-file.ts';

export class SchemaMismatchError extends ConflictError {
  constructor(snapshot: string, current: string | null, where: 'code' | 'database') {
    const [here, way] =
      where === 'code'
        ? [
            'this version of Agora is at',
            `restore it with the Agora version whose latest migration is ${snapshot}`,
          ]
        : ['the database is at', 'restore it into an empty database'];
    super(
      'snapshot_schema_mismatch',
      `The snapshot was taken at schema version ${snapshot}, but ${here} ${current ?? 'no version'}: ${way}.`,
      { snapshot, current, where },
    );
  }
}

/** Same schema version, different tables: the database was changed by hand. */
export class SnapshotTablesDifferError extends ConflictError {
  constructor(problem: string) {
    super('snapshot_tables_differ', `The database's tables differ from the snapshot's: ${problem}.`, {
      problem,
    });
  }
}

export class RestoreTargetNotEmptyError extends ConflictError {
  constructor(filled: { table: string; rows: number }[]) {
    const tables = filled.map(({ table, rows }) => `${table} (${rows})`).join(', ');
    super(
      'restore_target_not_empty',
      `The database is not empty: ${tables}. Restore into an empty database, or pass --force to replace its rows.`,
      { tables },
    );
  }
}

/** After loading, the server's count or checksum of a table differs from the snapshot's. */
export class RestoreVerificationError extends ConflictError {
  constructor(tables: string[]) {
    super(
      'restore_verification_failed',
      `After loading, these tables differ from the snapshot: ${tables.join(', ')}. Nothing was restored.`,
      { tables: tables.join(', ') },
    );
  }
}

/**
 * Loads the snapshot's rows into the emptied tables. Foreign keys and secondary indexes are
 * dropped first and made again after (rows load in any order, each index is built once, and
 * the rebuild checks every row); the application's own triggers are off while loading.
 */
export async function loadRows(
  tx: Transaction,
  path: string,
  header: SnapshotHeader,
  tables: SnapshotTable[],
): Promise<void> {
  const names = tables.map((table) => table.name);
  const foreignKeys = await dropForeignKeys(tx, names);
  const indexes = await dropSecondaryIndexes(tx, names);
  const triggers = await disableUserTriggers(tx, names);
  const byName = new Map(tables.map((table) => [table.name, table]));
  try {
    for await (const batch of readSnapshotRows(path, header)) {
      await insertLines(tx, byName.get(batch.table.name) as SnapshotTable, batch.lines);
    }
    await enableUserTriggers(tx, triggers);
    await createIndexes(tx, indexes);
    await addForeignKeys(tx, foreignKeys);
  } catch (error) {
    throw rowsRefusedBySchema(error);
  }
}

/** The server's own count and checksum of every table, against the snapshot's header. */
export async function verifyTables(
  tx: Transaction,
  header: SnapshotHeader,
  tables: SnapshotTable[],
): Promise<void> {
  const differing: string[] = [];
  for (const table of tables) {
    const expected = header.tables.find((entry) => entry.name === table.name);
    const actual = await summarizeTable(tx, table);
    if (actual.rows !== expected?.rows || actual.checksum !== expected.checksum) differing.push(table.name);
  }
  if (differing.length > 0) throw new RestoreVerificationError(differing);
}

/** A value or row the schema refuses (SQLSTATE classes 22 data, 23 constraints) says the snapshot is wrong. */
export function rowsRefusedBySchema(error: unknown): unknown {
  if (!(error instanceof QueryError) || !/^2[23]/.test(error.sqlState ?? '')) return error;
  const problem = error.constraint
    ? `its rows break the constraint ${error.constraint} of the schema`
    : `a value does not fit its column (${error.message})`;
  return new SnapshotInvalidError(problem, { cause: error });
}

export function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The latest migration this code ships: node-pg-migrate names a migration after its file. */
export async function latestMigration(dir = MIGRATIONS_DIR): Promise<string | null> {
  const names = (await readdir(dir))
    .filter((file) => !file.startsWith('.'))
    .map((file) => file.replace(/\.[^.]+$/, ''))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return names.at(-1) ?? null;
}

export function assertSameSchema(header: SnapshotHeader, tables: SnapshotTable[], sequences: string[]): void {
  const describe = (table: SnapshotTable) => table.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  const current = new Map(tables.map((table) => [table.name, table]));
  for (const table of header.tables) {
    const here = current.get(table.name);
    if (!here) throw new SnapshotTablesDifferError(`the database has no table ${table.name}`);
    if (describe(here) !== describe(table)) {
      throw new SnapshotTablesDifferError(
        `${table.name} has columns (${describe(here)}), the snapshot (${describe(table)})`,
      );
    }
    current.delete(table.name);
  }
  if (current.size > 0)
    throw new SnapshotTablesDifferError(`the snapshot has no table ${[...current.keys()].join(', ')}`);
  const missing = header.sequences.filter((sequence) => !sequences.includes(sequence.name));
  if (missing.length > 0) {
    throw new SnapshotTablesDifferError(
      `the database has no sequence ${missing.map((s) => s.name).join(', ')}`,
    );
  }
}
