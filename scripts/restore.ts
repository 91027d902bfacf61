// `npm run restore -- <file|key> [--force]`: restores a snapshot into the database
// (DATABASE_URL, or the embedded one). The argument is a local snapshot file, or else the
// storage key of one (see `npm run backup -- --list`). A database holding data is refused
// unless --force, which replaces every application table's rows.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '../src/errors.ts';
import { formatSnapshots, openBackups } from './backup.ts';

const { values, positionals } = parseArgs({
  options: { force: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const [source] = positionals;
if (!source || positionals.length > 1) {
  const { backups, close } = await openBackups({ LOG_LEVEL: 'warn', ...process.env });
  try {
    console.error('Usage: npm run restore -- <snapshot file | storage key> [--force]\n\nStored snapshots:');
    console.error(formatSnapshots(await backups.list()));
  } finally {
    await close();
  }
  process.exit(2);
}

const { backups, log, close } = await openBackups(process.env);
try {
  const from = existsSync(source) ? { path: source } : { key: source };
  const restored = await backups.restore(from, { force: values.force });
  console.log(
    `Restored ${restored.rows} rows in ${restored.tables} tables, as they were at ${restored.createdAt.toISOString()}.`,
  );
} catch (error) {
  // Refusals (not empty, schema mismatch, damaged snapshot) are answers, not crashes: say them plainly.
  if (error instanceof AppError && error.public) console.error(error.message);
  else log.error({ err: error }, 'Restore failed');
  process.exitCode = 1;
} finally {
  await close();
}
