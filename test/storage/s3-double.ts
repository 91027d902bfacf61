// A small S3 stand-in on 127.0.0.1, path-style (/<bucket>/<key>), enough for the real AWS SDK
// and a browser: Put/Get (Range)/Head/Delete object; multipart CreateMultipartUpload,
// UploadPart (also through presigned URLs), ListParts, CompleteMultipartUpload,
// AbortMultipartUpload, ListMultipartUploads; and the bucket's CORS rule for browser uploads
// (preflight answered, ETag exposed), as S3 documents them.
// SDK requests (Authorization header) are only checked for presence. Presigned URLs are
// verified for real (SigV4 query signing, expiry, signed headers present), so a test can show
// that a changed size, type or key is refused. Like B2 it refuses the newer checksum headers,
// and like R2 it wants equal-sized multipart parts.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3DoubleOptions {
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The double's clock, for expiry checks and upload start times. */
  now?: () => number;
  /** The bucket's CORS rule: origins allowed to GET/PUT/HEAD from a browser (none by default). */
  corsOrigins?: string[];
}

export interface OpenUpload {
  key: string;
  contentType: string;
  initiated: Date;
  parts: Map<number, Buffer>;
}

export interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
}

export interface RecordedRequest {
  method: string;
  key: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  presigned: boolean;
}

export interface S3Double {
  endpoint: string;
  objects: Map<string, StoredObject>;
  /** Multipart uploads still open (neither completed nor aborted). */
  openUploads: Map<string, OpenUpload>;
  requests: RecordedRequest[];
  /** Most part uploads seen in progress at once. */
  peakConcurrentParts: number;
  /**
   * Part number → how many of its next uploads to cut half-way: the double drops the socket, as
   * a bad network would. (Chromium silently sends a request again once when a reused
   * connection resets, so a cut the page itself must see takes two.)
   */
  cutParts: Map<number, number>;
  /** Body bytes received by part uploads, complete or cut. */
  partBytesReceived: number;
  close(): Promise<void>;
}

const MIN_PART = 5 * 1024 * 1024;

class S3Failure extends Error {
  readonly status: number;
  readonly s3Code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.s3Code = code;
  }
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const md5 = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
// RFC 3986 encoding, as SigV4 canonical query strings need.
const strictEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function rawQueryPairs(rawUrl: string): [string, string][] {
  const query = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '';
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      const [k, v] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
      return [decodeURIComponent(k), decodeURIComponent(v)];
    });
}

function amzDateToMs(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

export async function startS3Double(options: S3DoubleOptions): Promise<S3Double> {
  const now = options.now ?? Date.now;
  const objects = new Map<string, StoredObject>();
  const openUploads = new Map<string, OpenUpload>();
  const corsOrigins = options.corsOrigins ?? [];
  const requests: RecordedRequest[] = [];
  let partsInProgress = 0;

  /** Checks a presigned request the way S3 does: expiry, then the SigV4 signature. */
  function verifyPresigned(req: IncomingMessage, query: URLSearchParams): void {
    for (const name of [
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-SignedHeaders',
      'X-Amz-Signature',
    ]) {
      if (!query.get(name))
        throw new S3Failure(403, 'AccessDenied', `Query-string authentication requires ${name}`);
    }
    if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256')
      throw new S3Failure(400, 'InvalidArgument', 'algorithm');
    const [accessKey, date, region, service, terminator] = (query.get('X-Amz-Credential') ?? '').split('/');
    if (accessKey !== options.accessKeyId)
      throw new S3Failure(403, 'InvalidAccessKeyId', 'unknown access key');
    if (region !== options.region || service !== 's3' || terminator !== 'aws4_request') {
      throw new S3Failure(400, 'AuthorizationQueryParametersError', 'bad credential scope');
    }
    const amzDate = query.get('X-Amz-Date') ?? '';
    const expires = Number(query.get('X-Amz-Expires'));
    if (now() > amzDateToMs(amzDate) + expires * 1000)
      throw new S3Failure(403, 'AccessDenied', 'Request has expired');

    const signedHeaders = (query.get('X-Amz-SignedHeaders') ?? '').split(';');
    const canonicalHeaders = signedHeaders.map((name) => {
      const value = req.headers[name];
      if (value === undefined) throw new S3Failure(403, 'AccessDenied', `signed header ${name} is missing`);
      return `${name}:${String(value).trim().replace(/\s+/g, ' ')}\n`;
    });
    const url = req.url ?? '/';
    const canonicalQuery = rawQueryPairs(url)
      .filter(([k]) => k !== 'X-Amz-Signature')
      .map(([k, v]) => [strictEncode(k), strictEncode(v)] as const)
      .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const canonicalRequest = [
      req.method,
      url.split('?')[0],
      canonicalQuery,
      canonicalHeaders.join(''),
      signedHeaders.join(';'),
      query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
    ].join('\n');
    const scope = `${date}/${region}/${service}/${terminator}`;
    const stringToSign = [
      'AWS4-HMAC-SHA256',
      amzDate,
      scope,
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n');
    let key = hmac(`AWS4${options.secretAccessKey}`, date ?? '');
    for (const part of [region ?? '', service ?? '', terminator ?? '']) key = hmac(key, part);
    const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
    if (expected !== query.get('X-Amz-Signature')) {
      throw new S3Failure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match');
    }
  }

  function refuseChecksums(req: IncomingMessage, query: URLSearchParams): void {
    const names = [...Object.keys(req.headers), ...[...query.keys()].map((k) => k.toLowerCase())];
    const bad = names.find((n) => n.startsWith('x-amz-checksum-') || n === 'x-amz-sdk-checksum-algorithm');
    if (bad)
      throw new S3Failure(400, 'InvalidArgument', `Unsupported header '${bad}' received for this API call.`);
  }

  function getObject(req: IncomingMessage, res: ServerResponse, key: string, query: URLSearchParams): void {
    const object = objects.get(key);
    if (!object) throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.');
    const size = object.body.length;
    res.setHeader('Content-Type', query.get('response-content-type') ?? object.contentType);
    res.setHeader('ETag', object.etag);
    res.setHeader('Accept-Ranges', 'bytes');
    const disposition = query.get('response-content-disposition');
    if (disposition) res.setHeader('Content-Disposition', disposition);
    if (req.method === 'HEAD') {
      res.setHeader('Content-Length', size);
      res.end();
      return;
    }
    const range = req.headers.range;
    if (range) {
      const m = /^bytes=(\d+)-(\d*)$/.exec(range);
      if (!m) throw new S3Failure(400, 'InvalidArgument', 'unsupported range');
      const start = Number(m[1]);
      const end = Math.min(m[2] ? Number(m[2]) : size - 1, size - 1);
      if (start >= size || end < start)
        throw new S3Failure(416, 'InvalidRange', 'The requested range is not satisfiable');
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
      res.setHeader('Content-Length', end - start + 1);
      res.end(object.body.subarray(start, end + 1));
      return;
    }
    res.setHeader('Content-Length', size);
    res.end(object.body);
  }

  /** The bucket's one CORS rule: GET, PUT and HEAD from the listed origins, any header. */
  function corsOrigin(req: IncomingMessage): string | undefined {
    const origin = req.headers.origin;
    return origin && (corsOrigins.includes(origin) || corsOrigins.includes('*')) ? origin : undefined;
  }

  function allowOrigin(req: IncomingMessage, res: ServerResponse): void {
    const origin = corsOrigin(req);
    if (!origin) return;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', 'ETag');
    res.setHeader('Vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
  }

  function preflight(req: IncomingMessage, res: ServerResponse): void {
    const method = String(req.headers['access-control-request-method'] ?? '');
    const origin = corsOrigin(req);
    if (!origin || !['GET', 'PUT', 'HEAD'].includes(method)) {
      throw new S3Failure(403, 'AccessForbidden', 'CORSResponse: This CORS request is not allowed.');
    }
    allowOrigin(req, res);
    res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, HEAD');
    const headers = req.headers['access-control-request-headers'];
    if (headers) res.setHeader('Access-Control-Allow-Headers', headers);
    res.setHeader('Access-Control-Max-Age', '3000');
    res.end();
  }

  function xml(res: ServerResponse, body: string): void {
    res.setHeader('Content-Type', 'application/xml');
    res.end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
  }

  function listParts(
    res: ServerResponse,
    bucket: string,
    key: string,
    uploadId: string,
    upload: OpenUpload,
    query: URLSearchParams,
  ): void {
    const marker = Number(query.get('part-number-marker') ?? 0);
    const max = Math.min(1000, Number(query.get('max-parts') ?? 1000));
    const numbers = [...upload.parts.keys()].filter((n) => n > marker).sort((a, b) => a - b);
    const page = numbers.slice(0, max);
    const truncated = numbers.length > page.length;
    const parts = page
      .map((n) => {
        const body = upload.parts.get(n) as Buffer;
        return `<Part><PartNumber>${n}</PartNumber><LastModified>${upload.initiated.toISOString()}</LastModified><ETag>${xmlEscape(md5(body))}</ETag><Size>${body.length}</Size></Part>`;
      })
      .join('');
    xml(
      res,
      `<ListPartsResult><Bucket>${bucket}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId>` +
        `<PartNumberMarker>${marker}</PartNumberMarker><NextPartNumberMarker>${page.at(-1) ?? marker}</NextPartNumberMarker>` +
        `<MaxParts>${max}</MaxParts><IsTruncated>${truncated}</IsTruncated>${parts}</ListPartsResult>`,
    );
  }

  /** Uploads in key then upload-id order, paged with key-marker / upload-id-marker. */
  function listMultipartUploads(res: ServerResponse, bucket: string, query: URLSearchParams): void {
    const prefix = query.get('prefix') ?? '';
    const keyMarker = query.get('key-marker') ?? '';
    const idMarker = query.get('upload-id-marker') ?? '';
    const max = Math.min(1000, Number(query.get('max-uploads') ?? 1000));
    const all = [...openUploads.entries()]
      .filter(([, u]) => u.key.startsWith(prefix))
      .sort(([a, x], [b, y]) => (x.key < y.key ? -1 : x.key > y.key ? 1 : a < b ? -1 : 1))
      .filter(([id, u]) => u.key > keyMarker || (u.key === keyMarker && idMarker !== '' && id > idMarker));
    const page = all.slice(0, max);
    const truncated = all.length > page.length;
    const last = page.at(-1);
    const uploads = page
      .map(
        ([id, u]) =>
          `<Upload><Key>${xmlEscape(u.key)}</Key><UploadId>${id}</UploadId><Initiated>${u.initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
      )
      .join('');
    xml(
      res,
      `<ListMultipartUploadsResult><Bucket>${bucket}</Bucket><KeyMarker>${xmlEscape(keyMarker)}</KeyMarker>` +
        `<UploadIdMarker>${idMarker}</UploadIdMarker><NextKeyMarker>${xmlEscape(last?.[1].key ?? '')}</NextKeyMarker>` +
        `<NextUploadIdMarker>${last?.[0] ?? ''}</NextUploadIdMarker><Prefix>${xmlEscape(prefix)}</Prefix>` +
        `<MaxUploads>${max}</MaxUploads><IsTruncated>${truncated}</IsTruncated>${uploads}</ListMultipartUploadsResult>`,
    );
  }

  /** Reads half the declared body, then drops the connection without an answer. */
  async function cutHalfWay(req: IncomingMessage): Promise<void> {
    const half = Number(req.headers['content-length'] ?? 0) / 2;
    let seen = 0;
    for await (const chunk of req) {
      seen += (chunk as Buffer).length;
      double.partBytesReceived += (chunk as Buffer).length;
      if (seen >= half) break;
    }
    req.socket.destroy();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = url.searchParams;
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const presigned = query.has('X-Amz-Signature');
    requests.push({ method: req.method ?? '', key, query, headers: req.headers, presigned });

    if (bucket !== options.bucket)
      throw new S3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (req.method === 'OPTIONS') {
      preflight(req, res);
      return;
    }
    allowOrigin(req, res);
    if (presigned) verifyPresigned(req, query);
    else if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=')) {
      throw new S3Failure(403, 'AccessDenied', 'Anonymous access is forbidden');
    }
    refuseChecksums(req, query);
    if (!key) {
      if (req.method === 'GET' && query.has('uploads')) {
        listMultipartUploads(res, bucket, query);
        return;
      }
      throw new S3Failure(400, 'InvalidRequest', 'this bucket operation is not supported here');
    }

    const uploadId = query.get('uploadId');
    if (req.method === 'POST' && query.has('uploads')) {
      const id = randomUUID();
      const contentType = String(req.headers['content-type'] ?? 'binary/octet-stream');
      openUploads.set(id, { key, contentType, initiated: new Date(now()), parts: new Map() });
      res.setHeader('Content-Type', 'application/xml');
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>${bucket}</Bucket>` +
          `<Key>${xmlEscape(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
      return;
    }
    if (uploadId !== null) {
      const upload = openUploads.get(uploadId);
      if (!upload || upload.key !== key)
        throw new S3Failure(404, 'NoSuchUpload', 'The specified upload does not exist');
      if (req.method === 'PUT') {
        partsInProgress++;
        double.peakConcurrentParts = Math.max(double.peakConcurrentParts, partsInProgress);
        try {
          const partNumber = Number(query.get('partNumber'));
          const cuts = double.cutParts.get(partNumber) ?? 0;
          if (cuts > 0) {
            double.cutParts.set(partNumber, cuts - 1);
            await cutHalfWay(req);
            return;
          }
          const body = await readBody(req);
          double.partBytesReceived += body.length;
          upload.parts.set(partNumber, body);
          res.setHeader('ETag', md5(body));
          res.end();
        } finally {
          partsInProgress--;
        }
        return;
      }
      if (req.method === 'GET') {
        listParts(res, bucket, key, uploadId, upload, query);
        return;
      }
      if (req.method === 'DELETE') {
        openUploads.delete(uploadId);
        res.statusCode = 204;
        res.end();
        return;
      }
      if (req.method === 'POST') {
        const xml = (await readBody(req)).toString('utf8');
        const listed = [...xml.matchAll(/<Part>(.*?)<\/Part>/gs)].map((m) => ({
          number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1] ?? '')?.[1]),
          etag: (/<ETag>(.*?)<\/ETag>/.exec(m[1] ?? '')?.[1] ?? '').replace(/&quot;/g, '"'),
        }));
        const bodies = listed.map(({ number, etag }, i) => {
          const body = upload.parts.get(number);
          if (!body || md5(body) !== etag)
            throw new S3Failure(400, 'InvalidPart', `part ${number} is unknown`);
          if (i > 0 && number <= (listed[i - 1]?.number ?? 0))
            throw new S3Failure(400, 'InvalidPartOrder', 'order');
          return body;
        });
        const first = bodies[0]?.length ?? 0;
        bodies.forEach((body, i) => {
          const last = i === bodies.length - 1;
          if (!last && (body.length < MIN_PART || body.length !== first)) {
            throw new S3Failure(400, 'EntityTooSmall', 'parts must be equal and at least 5 MiB (R2 rule)');
          }
          if (last && body.length > first)
            throw new S3Failure(400, 'InvalidPart', 'last part larger than the others');
        });
        const body = Buffer.concat(bodies);
        const etag = `"${createHash('md5').update(body).digest('hex')}-${bodies.length}"`;
        objects.set(key, { body, contentType: upload.contentType, etag });
        openUploads.delete(uploadId);
        res.setHeader('Content-Type', 'application/xml');
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Bucket>${bucket}</Bucket>` +
            `<Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`,
        );
        return;
      }
    }
    switch (req.method) {
      case 'PUT': {
        const body = await readBody(req);
        if (req.headers['if-none-match'] === '*' && objects.has(key)) {
          throw new S3Failure(
            412,
            'PreconditionFailed',
            'At least one of the pre-conditions you specified did not hold',
          );
        }
        const object = {
          body,
          contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'),
          etag: md5(body),
        };
        objects.set(key, object);
        res.setHeader('ETag', object.etag);
        res.end();
        return;
      }
      case 'GET':
      case 'HEAD':
        getObject(req, res, key, query);
        return;
      case 'DELETE':
        objects.delete(key);
        res.statusCode = 204;
        res.end();
        return;
      default:
        throw new S3Failure(405, 'MethodNotAllowed', 'method not allowed');
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const failure =
        error instanceof S3Failure
          ? error
          : new S3Failure(500, 'InternalError', (error as Error).message ?? 'error');
      req.resume(); // drain an unread body so the connection stays usable
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.statusCode = failure.status;
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'application/xml');
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${failure.s3Code}</Code>` +
          `<Message>${xmlEscape(failure.message)}</Message><RequestId>double</RequestId></Error>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const double: S3Double = {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    openUploads,
    requests,
    peakConcurrentParts: 0,
    cutParts: new Map(),
    partBytesReceived: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return double;
}
