// Files the bot sends, built in memory (CSV exports are small: at most a few thousand rows).
import { InputFile } from 'grammy';
import { type CsvValue, toCsv } from '../../domain/index.ts';
import type { BotContext } from '../context.ts';

/** Sends a CSV document (formula cells escaped by toCsv) with a caption. */
export async function replyWithCsv(
  ctx: BotContext,
  fileName: string,
  table: { header: readonly string[]; rows: Iterable<readonly CsvValue[]> },
  caption: string,
): Promise<void> {
  const csv = toCsv(table.header, table.rows);
  await ctx.replyWithDocument(new InputFile(Buffer.from(csv, 'utf8'), fileName), {
    caption,
    parse_mode: 'HTML',
  });
}
