// The snapshot file: gzip'd NDJSON, one JSON value per line.
//   line 1            header: format, version, creation time, schema version (latest migration),
//                     per table its columns, row count and checksum, and the sequences
//   {"table":"…"}     a section per table, in header order, followed by exactly its rows:
//   ["1","Élodie",…]  one row: its columns' text forms (null for NULL), in the header's order
//   {"end":true}      the end mark; nothing may follow it
// A table's checksum is the sum of the first 60 bits of each row line's SHA-256: order-independent,
// computed here while reading and by the server (repositories/snapshot.ts) after loading.
import { hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';
import type { SequenceState, SnapshotTable, TableSummary } from '../repositories/snapshot.ts';
import { InvalidInputError, NotFoundError } from './errors.ts';

export const SNAPSHOT_FORMAT = 'agora-snapshot';
export const SNAPSHOT_VERSION = 1;

export type SnapshotTableEntry = SnapshotTable & TableSummary;

export interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  createdAt: string;
  schemaVersion: string;
  tables: SnapshotTableEntry[];
  sequences: SequenceState[];
}

/** The file is not a whole, intact snapshot this code can read. */
export class SnapshotInvalidError extends InvalidInputError {
  constructor(problem: string, options?: ErrorOptions) {
    super('snapshot_invalid', 'snapshot', `Not a valid Agora snapshot: ${problem}.`, { problem });
    if (options) this.cause = options.cause;
  }
}

const headerSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  schemaVersion: z.string().min(1),
  tables: z.array(
    z.object({
      name: z.string().min(1),
      columns: z.array(z.object({ name: z.string().min(1), type: z.string().min(1) })),
      rows: z.number().int().nonnegative(),
      checksum: z.string().regex(/^\d+$/),
    }),
  ),
  sequences: z.array(
    z.object({ name: z.string().min(1), lastValue: z.string().regex(/^-?\d+$/), isCalled: z.boolean() }),
  ),
});

/** Row count and checksum of row lines, as `summarizeTable` computes them in SQL. */
export class TableDigest {
  rows = 0;
  #sum = 0n;

  add(line: string): void {
    this.rows++;
    this.#sum += hash('sha256', line, 'buffer').readBigUInt64BE(0) >> 4n; // the first 60 bits
  }

  get checksum(): string {
    return this.#sum.toString();
  }
}

/**
 * Writes a snapshot to `path`: the header, then each table's lines as `rowsOf` yields them.
 * Each table's lines are checked against its header summary (taken in the same transaction),
 * so a snapshot that could not be verified on restore is never written.
 */
export async function writeSnapshot(
  path: string,
  header: SnapshotHeader,
  rowsOf: (table: SnapshotTableEntry) => AsyncIterable<string[]>,
): Promise<void> {
  async function* lines(): AsyncGenerator<string> {
    yield `${JSON.stringify(header)}\n`;
    for (const table of header.tables) {
      yield `${JSON.stringify({ table: table.name })}\n`;
      const digest = new TableDigest();
      for await (const batch of rowsOf(table)) {
        for (const line of batch) digest.add(line);
        yield `${batch.join('\n')}\n`;
      }
      if (digest.rows !== table.rows || digest.checksum !== table.checksum) {
        const found = `${digest.rows} rows with checksum ${digest.checksum}`;
        throw new Error(
          `The rows read from ${table.name} (${found}) differ from its summary taken in the same transaction ` +
            `(${table.rows} rows with checksum ${table.checksum}); a text encoding other than UTF8 would do that.`,
        );
      }
    }
    yield `${JSON.stringify({ end: true })}\n`;
  }
  await pipeline(lines(), createGzip(), createWriteStream(path, { flags: 'wx' }));
}

/** The lines of a gzip'd file, with the failures a damaged file gives told plainly. */
async function* fileLines(path: string): AsyncGenerator<string> {
  const file = createReadStream(path);
  const gunzip = createGunzip();
  file.on('error', (error) => gunzip.destroy(error));
  file.pipe(gunzip);
  try {
    yield* createInterface({ input: gunzip, crlfDelay: Number.POSITIVE_INFINITY });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError('snapshot file', path);
    if (code === 'Z_BUF_ERROR') throw new SnapshotInvalidError('the file ends too early (truncated)');
    if (code?.startsWith('Z_')) throw new SnapshotInvalidError(`the file is not intact gzip (${code})`);
    throw error;
  } finally {
    file.destroy();
    gunzip.destroy();
  }
}

function parseLine(line: string, what: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new SnapshotInvalidError(`${what} is not valid JSON`);
  }
}

function parseHeader(line: string | undefined): SnapshotHeader {
  if (line === undefined) throw new SnapshotInvalidError('the file is empty');
  const value = parseLine(line, 'the header');
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > SNAPSHOT_VERSION) {
    throw new SnapshotInvalidError(
      `it is in format version ${version}, written by a newer Agora; this one reads version ${SNAPSHOT_VERSION}`,
    );
  }
  const parsed = headerSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SnapshotInvalidError(
      `its header is wrong at ${issue?.path.join('.') || 'the top'}: ${issue?.message}`,
    );
  }
  return parsed.data as SnapshotHeader;
}

/** The header alone (the file's first line), validated. */
export async function readSnapshotHeader(path: string): Promise<SnapshotHeader> {
  for await (const line of fileLines(path)) return parseHeader(line);
  return parseHeader(undefined);
}

export interface SnapshotBatch {
  table: SnapshotTableEntry;
  lines: string[];
}

/**
 * The rows of the snapshot, table by table in batches of at most `maxRows` lines or about
 * `maxBytes` characters. Every row is checked for shape, and each table's count and checksum
 * against the header before the next table starts; the end mark must close the file.
 */
export async function* readSnapshotRows(
  path: string,
  header: SnapshotHeader,
  { maxRows = 1000, maxBytes = 1 << 20 }: { maxRows?: number; maxBytes?: number } = {},
): AsyncGenerator<SnapshotBatch> {
  const lines = fileLines(path);
  const next = async (what: string): Promise<string> => {
    const { done, value } = await lines.next();
    if (done) throw new SnapshotInvalidError(`it ends before ${what} (truncated)`);
    return value;
  };
  try {
    await next('its header');
    let previous = 'the header';
    for (const table of header.tables) {
      const section = await next(`the rows of ${table.name}`);
      if (section.startsWith('[')) {
        throw new SnapshotInvalidError(`${previous} holds more rows than its header counts`);
      }
      if ((parseLine(section, `the section of ${table.name}`) as { table?: unknown })?.table !== table.name) {
        throw new SnapshotInvalidError(`the rows of ${table.name} are not where the header puts them`);
      }
      const digest = new TableDigest();
      let batch: string[] = [];
      let size = 0;
      for (let row = 1; row <= table.rows; row++) {
        const line = await next(`row ${row} of the ${table.rows} of ${table.name}`);
        checkRowShape(line, table, row);
        digest.add(line);
        batch.push(line);
        size += line.length;
        if (batch.length >= maxRows || size >= maxBytes) {
          yield { table, lines: batch };
          batch = [];
          size = 0;
        }
      }
      if (batch.length > 0) yield { table, lines: batch };
      if (digest.checksum !== table.checksum) {
        throw new SnapshotInvalidError(`the rows of ${table.name} do not match their checksum (corrupted)`);
      }
      previous = table.name;
    }
    const end = await next('its end mark');
    if (end.startsWith('['))
      throw new SnapshotInvalidError(`${previous} holds more rows than its header counts`);
    if ((parseLine(end, 'the end mark') as { end?: unknown })?.end !== true) {
      throw new SnapshotInvalidError('it holds a table its header does not list');
    }
    if (!(await lines.next()).done) throw new SnapshotInvalidError('something follows its end mark');
  } finally {
    await lines.return(undefined);
  }
}

function checkRowShape(line: string, table: SnapshotTableEntry, row: number): void {
  if (!line.startsWith('[')) {
    throw new SnapshotInvalidError(
      `${table.name} holds ${row - 1} rows, fewer than the ${table.rows} its header counts`,
    );
  }
  const values = parseLine(line, `row ${row} of ${table.name}`);
  if (
    !Array.isArray(values) ||
    values.length !== table.columns.length ||
    !values.every((value) => value === null || typeof value === 'string')
  ) {
    throw new SnapshotInvalidError(
      `row ${row} of ${table.name} is not ${table.columns.length} text values, one per column`,
    );
  }
}
