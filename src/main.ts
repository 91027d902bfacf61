// The composition root: config → log → database (+ migrations) → HTTP. Shut down in reverse.
import { ConfigError, loadConfig } from './config.ts';
import { migrate, openDatabase } from './db/index.ts';
import { buildServer } from './http/server.ts';
import { createLogger } from './log.ts';
import { createMetrics } from './metrics.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const database = await openDatabase({
    env: process.env,
    settings: config.pool,
    embeddedDir: config.embeddedPgDir,
    log: log.child({ component: 'db' }),
  });
  log.info({ database: database.describe }, 'Database selected');
  const { db } = database;
  await db.initialize();
  await migrate(db, log);

  const app = buildServer({ db, metrics: createMetrics(db), log, healthTimeoutMs: config.healthTimeoutMs });
  await app.listen({ port: config.port, host: config.host });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'Shutting down: no new requests, finishing what is in flight');
    const deadline = setTimeout(() => {
      log.error({}, 'Shutdown deadline passed; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5_000);
    deadline.unref();
    await app.close();
    await database.close(config.shutdownTimeoutMs);
    log.info({}, 'Stopped');
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Agora failed to start:', error);
  }
  process.exit(1);
});
