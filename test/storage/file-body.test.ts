// A stored file written to a destination through two reused buffers: exact bytes, no buffer
// overwritten before its write called back, the file closed however the transfer ends.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { FileBody, StorageError } from '../../src/storage/index.ts';

const dir = await mkdtemp(join(tmpdir(), 'agora-file-body-'));
test.after(() => rm(dir, { recursive: true, force: true }));

const content = randomBytes(1_000_000);
const path = join(dir, 'file.bin');
await writeFile(path, content);

async function body(start = 0, end = content.length - 1) {
  const handle = await open(path, 'r');
  return { handle, body: new FileBody(handle, start, end) };
}

/** Keeps every chunk it is given and calls back later, copying the bytes only then. */
function slowSink(failAfter = Number.POSITIVE_INFINITY) {
  const received: Buffer[] = [];
  let writes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const index = writes++;
      setTimeout(() => {
        if (index >= failAfter) return callback(new Error('disk full'));
        received.push(Buffer.from(chunk)); // a buffer refilled too early would show here
        callback();
      }, 1);
    },
  });
  return { sink, received: () => Buffer.concat(received) };
}

test('writeTo writes the exact range, no buffer refilled before its write called back, then closes the file', async () => {
  const { handle, body: file } = await body(1_000, 900_999);
  const { sink, received } = slowSink();
  await file.writeTo(sink);
  assert.ok(received().equals(content.subarray(1_000, 901_000)));
  assert.equal(handle.fd, -1, 'the file is closed');
  assert.equal(sink.writableEnded, false, 'the destination is left for the caller to end');
});

test('a destination that fails part-way rejects writeTo and the file is closed', async () => {
  const { handle, body: file } = await body();
  const { sink } = slowSink(3);
  await assert.rejects(file.writeTo(sink), /disk full/);
  assert.equal(handle.fd, -1);
});

test('a file shorter than its expected size is a storage error, not a silent short write', async () => {
  const { handle, body: file } = await body(0, content.length + 10);
  await assert.rejects(file.writeTo(slowSink().sink), StorageError);
  assert.equal(handle.fd, -1);
});

test('a client that hangs up mid-download ends writeTo and closes the file', async (t) => {
  const { handle, body: file } = await body();
  let transfer: Promise<void> | undefined;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-length': content.length });
    transfer = file.writeTo(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  await new Promise<void>((resolve) => {
    get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, (response) => {
      response.once('data', () => {
        response.destroy();
        resolve();
      });
    });
  });
  await assert.rejects(transfer as Promise<void>);
  assert.equal(handle.fd, -1);
});

test('read as a stream, the same bytes in fresh chunks; destroying it closes the file', async () => {
  const whole = await body();
  const chunks: Buffer[] = [];
  for await (const chunk of whole.body) chunks.push(chunk as Buffer);
  assert.ok(Buffer.concat(chunks).equals(content));
  assert.equal(new Set(chunks.map((chunk) => chunk.buffer)).size, chunks.length, 'no chunk shares memory');
  assert.equal(whole.handle.fd, -1);

  const cut = await body();
  cut.body.destroy();
  await new Promise((resolve) => cut.body.once('close', resolve));
  assert.equal(cut.handle.fd, -1);
});
