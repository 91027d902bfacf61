// pg-boss runs on our pool: every statement it sends goes through src/db, so the process never
// opens more than DB_POOL_MAX connections and pg-boss gets no pool of its own.
import type { Db } from 'pg-boss';
import type { Queryable } from '../db/index.ts';

/**
 * pg-boss's `db` option over a Queryable. Given the open transaction of a caller, `send` writes
 * the job in that transaction: the job exists exactly when the transaction commits.
 *
 * pg-boss 12 wraps its locked work in one `BEGIN; …; COMMIT;` script and reads the rows of every
 * statement in it (the advisory lock's, the claim's), where a Queryable answers a script with the
 * rows of its last statement (COMMIT's: none). Such a script runs here as a transaction of its
 * own, statement by statement, and answers every row. Other scripts (schema set-up, whose index
 * builds run after COMMIT) need no rows and go as one simple query.
 */
export function bossDb(q: Queryable): Db {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      if (values && values.length > 0) return { rows: await q.many(text, values) };
      const statements = splitStatements(text);
      const first = statements[0]?.toUpperCase();
      const last = statements.at(-1)?.toUpperCase();
      if (statements.length < 3 || first !== 'BEGIN' || last !== 'COMMIT')
        return { rows: await q.many(text) };
      const rows = await q.transaction(async (tx) => {
        const all: unknown[] = [];
        for (const statement of statements.slice(1, -1)) all.push(...(await tx.many(statement)));
        return all;
      });
      return { rows };
    },
  };
}

/**
 * The statements of a script, split at the semicolons outside quotes ('…', E'…', "…"),
 * dollar quotes ($$…$$, $tag$…$tag$) and comments; trimmed, empty ones dropped.
 */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < script.length) {
    const c = script[i] as string;
    const next = script[i + 1];
    if (c === "'" || c === '"') {
      const backslashes = c === "'" && /[eE]/.test(script[i - 1] ?? '') && !/\w/.test(script[i - 2] ?? '');
      i = endOfQuoted(script, i, c, backslashes);
    } else if (c === '-' && next === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end + 1;
    } else if (c === '/' && next === '*') {
      i = endOfBlockComment(script, i);
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i))?.[0];
      if (tag && !/\w/.test(script[i - 1] ?? '')) {
        const end = script.indexOf(tag, i + tag.length);
        i = end === -1 ? script.length : end + tag.length;
      } else {
        i++;
      }
    } else if (c === ';') {
      statements.push(script.slice(start, i));
      start = ++i;
    } else {
      i++;
    }
  }
  statements.push(script.slice(start));
  return statements.map((s) => s.trim()).filter((s) => s.length > 0);
}

function endOfQuoted(script: string, open: number, quote: string, backslashes: boolean): number {
  let i = open + 1;
  while (i < script.length) {
    if (backslashes && script[i] === '\\') {
      i += 2;
    } else if (script[i] === quote) {
      if (script[i + 1] !== quote) return i + 1;
      i += 2;
    } else {
      i++;
    }
  }
  return i;
}

/** Block comments nest in PostgreSQL. */
function endOfBlockComment(script: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < script.length) {
    if (script[i] === '/' && script[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (script[i] === '*' && script[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return i;
}
