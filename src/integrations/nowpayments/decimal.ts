// Crypto amounts stay decimal strings end to end: a double cannot hold 0.123456789012345678 ETH,
// and JavaScript writes tiny amounts as "1e-7". These helpers read provider JSON without ever
// rounding an amount and compare or subtract amounts exactly (BigInt on scaled integers).

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const LOOSE_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
// Far beyond any real amount; stops "1e999999" from building a million-digit string.
const MAX_EXPONENT = 100;

/**
 * Plain, canonical decimal text for a JSON number or decimal string: no exponent, no leading
 * zeros, no trailing fractional zeros ("1e-7" → "0.0000001", "2.50" → "2.5", "-0" → "0").
 * Returns null for anything that is not a finite decimal.
 */
export function toPlainDecimal(value: string | number): string | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // String() gives the shortest text that reads back as the same double.
    text = String(value);
  } else {
    text = value.trim();
  }
  const match = LOOSE_DECIMAL.exec(text);
  if (!match) return null;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > MAX_EXPONENT) return null;
  let digits = whole + fraction;
  let point = whole.length + exponent;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  } else if (point > digits.length) {
    digits = digits + '0'.repeat(point - digits.length);
  }
  const intPart = digits.slice(0, point).replace(/^0+/, '') || '0';
  const fracPart = digits.slice(point).replace(/0+$/, '');
  const plain = fracPart ? `${intPart}.${fracPart}` : intPart;
  return sign === '-' && plain !== '0' ? `-${plain}` : plain;
}

/**
 * JSON.parse that reads the numbers under `exactKeys` from their source text (the reviver's
 * source-text access) as canonical plain decimal strings: exact, and spelled one way only
 * ("17.490" and "1.749e1" both give "17.49"). Other numbers parse as usual.
 */
export function parseJsonExact(text: string, exactKeys: ReadonlySet<string>): unknown {
  return parseJsonExactChecked(text, exactKeys).value;
}

/** A number whose source text says more than the double JSON.parse reads for it. */
export interface InexactNumber {
  key: string;
  source: string;
  /** The double's own decimal text; null when it is not finite (the text overflowed). */
  read: string | null;
  value: number;
}

/**
 * parseJsonExact, and in the same pass the first number (in the reviver's order) whose exact
 * value is not the double JSON.parse reads for it: more digits than a double holds, not finite,
 * or out of range. `inexact` is null when every number reads back exactly.
 */
export function parseJsonExactChecked(
  text: string,
  exactKeys: ReadonlySet<string>,
): { value: unknown; inexact: InexactNumber | null } {
  let inexact: InexactNumber | null = null;
  const value: unknown = JSON.parse(text, function revive(key, value, context?: { source?: string }) {
    const source = context?.source;
    if (typeof value !== 'number' || source === undefined) return value;
    // Most numbers are spelled as their double prints, without an exponent: exact, plain already.
    const asPrinted = source === String(value) && !/[eE]/.test(source);
    const plain = asPrinted ? source : toPlainDecimal(source);
    if (inexact === null && !asPrinted) {
      const read = toPlainDecimal(value);
      if (plain === null || plain !== read) inexact = { key, source, read, value };
    }
    if (exactKeys.has(key) && JSON_NUMBER.test(source)) return plain ?? source;
    return value;
  });
  return { value, inexact };
}

interface Scaled {
  units: bigint;
  scale: number;
}

function scaled(value: string): Scaled {
  const plain = toPlainDecimal(value);
  if (plain === null) throw new RangeError(`Not a decimal amount: ${JSON.stringify(value).slice(0, 40)}`);
  const negative = plain.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? plain.slice(1) : plain).split('.');
  const units = BigInt(whole + fraction);
  return { units: negative ? -units : units, scale: fraction.length };
}

function align(a: Scaled, b: Scaled): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

function fromScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return toPlainDecimal(negative ? `-${text}` : text) ?? '0';
}

/** -1, 0 or 1, exactly ("0.1" vs "0.10000000000000000001" is -1). */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const [x, y] = align(scaled(a), scaled(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a − b, exact; e.g. what a partially paid buyer still owes. */
export function subtractDecimal(a: string, b: string): string {
  const [x, y, scale] = align(scaled(a), scaled(b));
  return fromScaled(x - y, scale);
}

/** a + b, exact. */
export function addDecimal(a: string, b: string): string {
  const [x, y, scale] = align(scaled(a), scaled(b));
  return fromScaled(x + y, scale);
}

/** a × b, rounded to `decimals` places (down, or up when `roundUp`). */
export function multiplyDecimal(a: string, b: string, decimals: number, roundUp = false): string {
  const x = scaled(a);
  const y = scaled(b);
  return rescale(x.units * y.units, x.scale + y.scale, decimals, roundUp);
}

/** a ÷ b, rounded to `decimals` places (down, or up when `roundUp`). b must not be zero. */
export function divideDecimal(a: string, b: string, decimals: number, roundUp = false): string {
  const [x, y] = align(scaled(a), scaled(b));
  if (y === 0n) throw new RangeError('Division by zero');
  return rescale(x, 0, decimals, roundUp, y);
}

function rescale(units: bigint, scale: number, decimals: number, roundUp: boolean, divisor = 1n): string {
  // value = units / divisor / 10^scale; wanted: integer n with value ≈ n / 10^decimals.
  let numerator = units * 10n ** BigInt(Math.max(0, decimals - scale));
  let denominator = divisor * 10n ** BigInt(Math.max(0, scale - decimals));
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  let quotient = numerator / denominator;
  const exact = quotient * denominator === numerator;
  if (!exact && roundUp && numerator > 0n) quotient += 1n;
  if (!exact && !roundUp && numerator < 0n) quotient -= 1n;
  return fromScaled(quotient, decimals);
}
