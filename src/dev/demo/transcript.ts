// The journey's transcript as a conversation a person reads in a terminal: HTML tags stripped
// and entities decoded, buttons shown as [Buy] [Next], each speaker on the left.
import { formatSize } from '../../bot/ui/format.ts';
import type { TranscriptEntry } from '../telegram/fake-telegram.ts';

const SPEAKERS: Record<TranscriptEntry['who'], string> = {
  seller: '👩 Ana (seller)',
  buyer: '🧑 Bruno (buyer)',
  'bot→seller': '🤖 bot → Ana',
  'bot→buyer': '🤖 bot → Bruno',
  system: '⚙️  system',
};

const HOW: Record<NonNullable<TranscriptEntry['via']>, string> = {
  edit: '(edits the message on screen)',
  photo: '(a picture)',
  alert: '(a pop-up notice)',
  document: '(a file)',
};

const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&amp;': '&',
};

/** Telegram HTML as plain text: tags removed, the five entities decoded (&amp; last). */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|quot|#39|amp);/g, (entity) => ENTITIES[entity] ?? entity);
}

export function formatButtons(rows: readonly (readonly string[])[]): string[] {
  return rows.map((row) => row.map((label) => `[${label}]`).join(' '));
}

export function formatTranscript(entries: readonly TranscriptEntry[]): string {
  const indent = ' '.repeat(4);
  const blocks = entries.map((entry) => {
    const speaker = SPEAKERS[entry.who];
    const lines = [
      ...(entry.via ? [HOW[entry.via]] : []),
      ...(entry.file ? [`📎 ${entry.file.name} (${formatSize('en', entry.file.size)})`] : []),
      ...plainText(entry.text).split('\n'),
      ...formatButtons(entry.buttons ?? []),
    ];
    return [speaker, ...lines.map((line) => (line ? indent + line : ''))].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
