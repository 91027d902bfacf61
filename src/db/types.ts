// One parsing rule for the whole data layer: bigint columns (ids, counts, sums of integers) come
// back as JavaScript numbers, and a value that a number cannot hold exactly is an error, never a
// silently rounded id. `numeric` stays an exact string (crypto amounts, averages).
import pg from 'pg';
import { UnsafeIntegerError } from './errors.ts';

const INT8 = 20;
const INT8_ARRAY = 1016;

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new UnsafeIntegerError(text);
  return value;
}

const parseTextArray = (pg.types.getTypeParser as (oid: number, format: 'text') => unknown)(
  INT8_ARRAY,
  'text',
) as (text: string) => (string | null)[];

function parseInt8Array(text: string): (number | null)[] {
  return parseTextArray(text).map((item) => (item === null ? null : parseInt8(item)));
}

/** The `types` option of every connection of the pool. */
export const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary' && oid === INT8) return parseInt8;
    if (format !== 'binary' && oid === INT8_ARRAY) return parseInt8Array;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};
