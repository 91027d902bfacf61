// `npm start`: validated config, the app from the composition root, and a graceful stop on
// SIGTERM/SIGINT (stop taking work, finish what is in flight, close the pool).
import { startApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const app = await startApp({ config, env: process.env, log });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'Shutting down: no new updates or requests, finishing what is in flight');
    // Three waits in turn, each bounded by SHUTDOWN_TIMEOUT_MS: the bot's updates being handled,
    // the jobs in flight, the pool's borrowers.
    const deadline = setTimeout(
      () => {
        log.error({}, 'Shutdown deadline passed; exiting');
        process.exit(1);
      },
      config.shutdownTimeoutMs * 3 + 5_000,
    );
    deadline.unref();
    await app.close();
    log.info({}, 'Stopped');
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Agora failed to start:', error);
  }
  process.exit(1);
});
