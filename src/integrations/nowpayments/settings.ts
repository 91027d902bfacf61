import { z } from 'zod';

export const DEFAULT_NOWPAYMENTS_BASE_URL = 'https://api.nowpayments.io/v1';
export const DEFAULT_PAY_CURRENCIES = ['btc', 'eth', 'sol', 'usdtsol', 'usdcsol'] as const;

// An empty variable (NOWPAYMENTS_API_KEY= in a .env file) means "not set", not "the empty key".
const optionalSecret = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z.string().trim().min(8).optional(),
);

const payCurrencies = z
  .string()
  .default(DEFAULT_PAY_CURRENCIES.join(','))
  .transform((text) => [
    ...new Set(
      text
        .split(',')
        .map((c) => c.trim().toLowerCase())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(z.string().regex(/^[a-z0-9]{2,20}$/, 'currency codes are letters and digits')).min(1));

/**
 * NOWPayments settings from the environment. Without NOWPAYMENTS_API_KEY the app runs on the
 * local simulator (mode 'simulator'); with it, NOWPAYMENTS_IPN_SECRET is required, since IPNs
 * could not be verified otherwise.
 */
export const nowPaymentsSettingsSchema = z
  .object({
    NOWPAYMENTS_API_KEY: optionalSecret,
    NOWPAYMENTS_IPN_SECRET: optionalSecret,
    NOWPAYMENTS_BASE_URL: z.url({ protocol: /^https?$/ }).default(DEFAULT_NOWPAYMENTS_BASE_URL),
    NOWPAYMENTS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    PAY_CURRENCIES: payCurrencies,
  })
  .refine((s) => s.NOWPAYMENTS_API_KEY === undefined || s.NOWPAYMENTS_IPN_SECRET !== undefined, {
    message:
      'NOWPAYMENTS_IPN_SECRET is required with NOWPAYMENTS_API_KEY (IPN signatures are checked with it)',
    path: ['NOWPAYMENTS_IPN_SECRET'],
  })
  .transform((s) => ({
    mode: s.NOWPAYMENTS_API_KEY === undefined ? ('simulator' as const) : ('live' as const),
    apiKey: s.NOWPAYMENTS_API_KEY,
    ipnSecret: s.NOWPAYMENTS_IPN_SECRET,
    baseUrl: s.NOWPAYMENTS_BASE_URL.replace(/\/+$/, ''),
    timeoutMs: s.NOWPAYMENTS_TIMEOUT_MS,
    payCurrencies: s.PAY_CURRENCIES,
  }));

export type NowPaymentsSettings = z.output<typeof nowPaymentsSettingsSchema>;
