// `npm start` end to end: migrates, serves a healthy /health, and stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { freshDatabase } from '../support/database.ts';

const url = await freshDatabase();

test('the product starts on a database, answers /health, and shuts down gracefully on SIGTERM', async () => {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: new URL('../..', import.meta.url),
    env: { ...process.env, DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  after(() => child.kill('SIGKILL'));
  let output = '';
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 30 s:\n${output}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      // The product's own server: the payment simulator logs its address too, with a component.
      for (const line of output.split('\n')) {
        const match = /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(line);
        if (match && !line.includes('"component"')) {
          clearTimeout(timer);
          resolve(match[1] as string);
        }
      }
    });
  });
  const health = await fetch(`${address}/health`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { database: string }).database, 'up');
  assert.doesNotMatch(output, /postgres:\/\/[^*\s]*:[^*\s@]+@/, 'no password in the logs');

  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, output);
  assert.match(output, /Connection pool: closed/);
  assert.match(output, /"msg":"Stopped"/);
});
