// `npm run demo`: the marketplace at work without a Telegram token or any network. A throwaway
// embedded PostgreSQL, the payment simulator and our HTTP server run for real; Telegram is
// played locally. A seller lists a file, a buyer finds it, pays, downloads it and reviews it, the
// seller opens analytics and publishes a second edition; the conversation is printed, then
// everything is stopped and removed. `npm run demo -- --pictures <dir>` also writes every
// picture the bot sent (payment QR code, charts) into <dir> as PNG files.

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type EmbeddedServer, startEmbeddedPostgres } from '../src/db/index.ts';
import { runJourney, startJourneyStack } from '../src/dev/demo/journey.ts';
import { writePictures } from '../src/dev/demo/pictures.ts';
import { formatTranscript } from '../src/dev/demo/transcript.ts';

const { values: options } = parseArgs({ options: { pictures: { type: 'string' } } });

async function demo(): Promise<void> {
  let embedded: EmbeddedServer | undefined;
  let stack: Awaited<ReturnType<typeof startJourneyStack>> | undefined;
  try {
    console.log('Starting a throwaway PostgreSQL, the NOWPayments simulator and the HTTP server…\n');
    embedded = await startEmbeddedPostgres({ settings: { fsync: 'off' } });
    stack = await startJourneyStack({ databaseUrl: embedded.url });
    const result = await runJourney(stack);
    console.log(formatTranscript(stack.telegram.transcript));
    const pictures = options.pictures
      ? await writePictures(stack.telegram.calls, resolve(options.pictures))
      : [];
    console.log(
      [
        '─'.repeat(60),
        `Product ${result.productId} sold in order ${result.orderId} (payment ${result.paymentId}).`,
        `${stack.telegram.calls.length} Telegram API calls were made, all answered locally.`,
        ...(options.pictures
          ? [`${pictures.length} pictures written:`, ...pictures.map((p) => `  ${p}`)]
          : []),
        'With TELEGRAM_BOT_TOKEN set, `npm start` runs this same bot for real.',
      ].join('\n'),
    );
  } finally {
    await stack?.close();
    await embedded?.stop();
  }
}

demo().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('The demo failed:', error);
    process.exit(1);
  },
);
