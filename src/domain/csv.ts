// CSV for exports opened in spreadsheets (RFC 4180 quoting). Text that a spreadsheet would run as
// a formula (=, +, -, @, or a leading tab/CR that some of them skip) gets a leading apostrophe,
// the OWASP-recommended defence against CSV injection. Numbers are values, never formulas, so a
// negative number stays a number.

export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

export interface CsvOptions {
  /** ',' by default; ';' suits spreadsheets set to a French locale. */
  readonly delimiter?: string;
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue, options: CsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') {
    text = FORMULA_START.test(value) ? `'${value}` : value;
  } else if (value instanceof Date) {
    text = value.toISOString();
  } else {
    text = String(value);
  }
  const needsQuotes =
    text.includes('"') || text.includes('\n') || text.includes('\r') || text.includes(delimiter);
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[], options: CsvOptions = {}): string {
  return values.map((value) => csvCell(value, options)).join(options.delimiter ?? ',');
}

/**
 * A whole file: header then rows, CRLF line ends, UTF-8 byte order mark first so that Excel reads
 * accents correctly.
 */
export function toCsv(
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  options: CsvOptions & { readonly bom?: boolean } = {},
): string {
  const lines = [csvRow(header, options)];
  for (const row of rows) lines.push(csvRow(row, options));
  return `${options.bom === false ? '' : '\uFEFF'}${lines.join('\r\n')}\r\n`;
}
