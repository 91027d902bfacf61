import type { DbLogger } from '../../src/db/index.ts';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  details: Record<string, unknown>;
}

/** A logger that remembers what it was told, for asserting what operators would see. */
export function recordingLogger(): DbLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (details: object, message: string): void => {
      entries.push({ level, message, details: details as Record<string, unknown> });
    };
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}
