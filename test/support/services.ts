// Every service on a test database, as the composition root builds them, with a throwaway local
// storage folder and, unless given, a payment provider nobody answers (tests that pay bring the
// simulator's client).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { pino } from 'pino';
import type { Database } from '../../src/db/index.ts';
import { createNowPaymentsClient, type NowPaymentsClient } from '../../src/integrations/nowpayments/index.ts';
import type { EnqueueDelivery } from '../../src/services/completion.ts';
import { DEFAULT_DOWNLOAD_SETTINGS } from '../../src/services/downloads.ts';
import { createServices, type ServiceSettings, type Services } from '../../src/services/index.ts';
import { LocalFileStorage, type S3FileStorage } from '../../src/storage/index.ts';

export const TEST_PUBLIC_URL = 'https://agora.example';

export interface TestServiceOptions {
  storage?: LocalFileStorage | S3FileStorage;
  nowPayments?: NowPaymentsClient;
  enqueueDelivery?: EnqueueDelivery;
  settings?: Partial<ServiceSettings>;
}

/** A local storage folder removed when the test file ends. */
export async function tempStorage(publicUrl = TEST_PUBLIC_URL): Promise<LocalFileStorage> {
  const dir = await mkdtemp(join(tmpdir(), 'agora-test-files-'));
  after(() => rm(dir, { recursive: true, force: true }));
  return new LocalFileStorage({ dir, publicUrl, signingSecret: 'x'.repeat(40) });
}

export async function testServices(db: Database, options: TestServiceOptions = {}): Promise<Services> {
  return createServices({
    db,
    storage: options.storage ?? (await tempStorage()),
    // Nothing listens on port 9: a test that reaches the provider without bringing one fails loudly.
    nowPayments:
      options.nowPayments ??
      createNowPaymentsClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'unused', retries: 0 }),
    enqueueDelivery: options.enqueueDelivery ?? (async () => {}),
    log: pino({ level: 'silent' }),
    settings: {
      adminIds: new Set(),
      payCurrencies: ['btc', 'eth', 'sol', 'usdtsol', 'usdcsol'],
      ipnCallbackUrl: 'http://127.0.0.1:9/ipn/nowpayments',
      downloads: DEFAULT_DOWNLOAD_SETTINGS,
      uploadUrlTtlSec: 900,
      healthTimeoutMs: 2_000,
      ...options.settings,
    },
  });
}
