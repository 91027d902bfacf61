// Storage settings from the environment, validated once at startup.
import { z } from 'zod';
import { StorageSettingsError } from './errors.ts';
import { DEFAULT_MAX_UPLOAD_BYTES } from './storage.ts';

const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());
const text = () => optional(z.string().trim().min(1));

const S3_REQUIRED = ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

/** The region an endpoint implies: 'auto' for R2, the one in the host name for B2 and AWS. */
export function regionFromEndpoint(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  const host = new URL(endpoint).hostname;
  if (host.endsWith('.r2.cloudflarestorage.com')) return 'auto';
  return /^s3\.([a-z0-9-]+)\.(?:backblazeb2|amazonaws)\.com$/.exec(host)?.[1];
}

export const storageSettingsSchema = z
  .object({
    STORAGE_DRIVER: z.preprocess(blank, z.enum(['local', 's3']).default('local')),
    STORAGE_DIR: z.preprocess(blank, z.string().min(1).default('.data/files')),
    STORAGE_MAX_UPLOAD_BYTES: z.preprocess(
      blank,
      z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(DEFAULT_MAX_UPLOAD_BYTES),
    ),
    PUBLIC_URL: z.preprocess(blank, z.url({ protocol: /^https?$/ }).default('http://localhost:3000')),
    UPLOAD_SIGNING_SECRET: optional(
      z.string().min(32, 'UPLOAD_SIGNING_SECRET must be at least 32 characters'),
    ),
    S3_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
    S3_REGION: text(),
    S3_BUCKET: text(),
    S3_ACCESS_KEY_ID: text(),
    S3_SECRET_ACCESS_KEY: text(),
    S3_FORCE_PATH_STYLE: optional(z.stringbool()),
  })
  .superRefine((s, ctx) => {
    if (s.STORAGE_DRIVER !== 's3') return;
    for (const name of S3_REQUIRED) {
      if (s[name] === undefined)
        ctx.addIssue({ code: 'custom', path: [name], message: `${name} is required when STORAGE_DRIVER=s3` });
    }
    if (s.S3_REGION === undefined && regionFromEndpoint(s.S3_ENDPOINT) === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['S3_REGION'],
        message:
          "S3_REGION is required when STORAGE_DRIVER=s3 and S3_ENDPOINT does not imply it (R2: 'auto')",
      });
    }
  })
  .transform((s) => ({
    driver: s.STORAGE_DRIVER,
    dir: s.STORAGE_DIR,
    publicUrl: s.PUBLIC_URL,
    maxUploadBytes: s.STORAGE_MAX_UPLOAD_BYTES,
    uploadSigningSecret: s.UPLOAD_SIGNING_SECRET,
    s3:
      s.STORAGE_DRIVER === 's3'
        ? {
            endpoint: s.S3_ENDPOINT,
            region: (s.S3_REGION ?? regionFromEndpoint(s.S3_ENDPOINT)) as string,
            bucket: s.S3_BUCKET as string,
            accessKeyId: s.S3_ACCESS_KEY_ID as string,
            secretAccessKey: s.S3_SECRET_ACCESS_KEY as string,
            // Custom endpoints get path-style: every S3-compatible server accepts it.
            forcePathStyle: s.S3_FORCE_PATH_STYLE ?? s.S3_ENDPOINT !== undefined,
          }
        : null,
  }));

export type StorageSettings = z.output<typeof storageSettingsSchema>;

/** Reads and checks the storage settings; the error names every wrong variable. */
export function storageSettings(env: Record<string, string | undefined> = process.env): StorageSettings {
  const parsed = storageSettingsSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map(
    (issue) => `  - ${issue.path.join('.') || 'storage'}: ${issue.message}`,
  );
  throw new StorageSettingsError(`Invalid storage settings:\n${lines.join('\n')}`);
}
