// One variant of `bench:pool` in a process of its own, driven by the bench over IPC: `open` builds
// a fresh pool, `load` times a workload on it and answers with the sample, `close` closes it.
import { load, type Targets, variants, type Workload } from './pool-variants.ts';

export type Request = { op: 'open' } | { op: 'load'; workload: Workload; calls: number } | { op: 'close' };

function builder(name: string) {
  const build = variants(JSON.parse(process.env.BENCH_TARGETS ?? '{}') as Targets)[name];
  if (!build) throw new Error(`No variant named '${name}'`);
  return build;
}

const build = builder(process.env.BENCH_VARIANT ?? '');
let variant: Awaited<ReturnType<typeof build>> | undefined;

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'open':
      variant = await build();
      return undefined;
    case 'load':
      if (!variant) throw new Error('load before open');
      return load(variant, request.workload, request.calls);
    case 'close':
      await variant?.close();
      variant = undefined;
      return undefined;
  }
}

process.on('message', (request: Request) => {
  handle(request).then(
    (result) => process.send?.({ ok: true, result }),
    (error: Error) => process.send?.({ ok: false, error: error.stack ?? error.message }),
  );
});
process.send?.({ ok: true, result: 'ready' });
