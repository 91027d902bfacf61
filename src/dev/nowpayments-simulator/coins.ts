// The simulator's fixed market: fake USD rates, minimums and address formats per coin, so that
// amounts are realistic and tests are deterministic.
import { createHash } from 'node:crypto';

export interface SimCoin {
  /** Price of one coin in USD, decimal string. */
  usdRate: string;
  /** Smallest deposit accepted, in coin units. */
  minAmount: string;
  /** Places the provider quotes this coin with. */
  decimals: number;
  network: string;
  /** What settling to the merchant costs, in coin units (goes into the IPN's fee object). */
  withdrawalFee: string;
  address: 'bech32' | 'hex' | 'base58';
}

export const DEFAULT_SIM_COINS: Readonly<Record<string, SimCoin>> = Object.freeze({
  btc: {
    usdRate: '60000',
    minAmount: '0.0001',
    decimals: 8,
    network: 'btc',
    withdrawalFee: '0.00001',
    address: 'bech32',
  },
  eth: {
    usdRate: '3000',
    minAmount: '0.001',
    decimals: 8,
    network: 'eth',
    withdrawalFee: '0.0002',
    address: 'hex',
  },
  sol: {
    usdRate: '150',
    minAmount: '0.01',
    decimals: 9,
    network: 'sol',
    withdrawalFee: '0.000005',
    address: 'base58',
  },
  usdtsol: {
    usdRate: '1',
    minAmount: '1',
    decimals: 6,
    network: 'sol',
    withdrawalFee: '0.1',
    address: 'base58',
  },
  usdcsol: {
    usdRate: '1',
    minAmount: '1',
    decimals: 6,
    network: 'sol',
    withdrawalFee: '0.1',
    address: 'base58',
  },
});

/** NOWPayments' service fee on a mono-currency payment. */
export const SERVICE_FEE_RATE = '0.005';

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function pick(alphabet: string, seed: string, length: number): string {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (const byte of createHash('sha256').update(`${seed}:${round}`).digest()) {
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A deposit address that looks like the coin's, derived from the payment id (stable per payment). */
export function fakeAddress(coin: SimCoin, seed: string): string {
  if (coin.address === 'bech32') return `bc1q${pick(BECH32, seed, 38)}`;
  if (coin.address === 'hex') return `0x${pick('0123456789abcdef', seed, 40)}`;
  return pick(BASE58, seed, 44);
}

/** A transaction hash: 64 hex characters for btc/eth, 88 base58 characters for Solana. */
export function fakeTxHash(coin: SimCoin, seed: string): string {
  return coin.address === 'base58'
    ? pick(BASE58, `tx:${seed}`, 88)
    : pick('0123456789abcdef', `tx:${seed}`, 64);
}
