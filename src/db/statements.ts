// What a statement does to the session it runs on, read from its text before it is sent: a
// one-shot statement shares its connection with others in flight, and through a transaction
// pooler every statement shares a server session with other clients.
import { SessionStatementError } from './errors.ts';

/** How a one-shot statement may run. */
export type OneShotRoute = 'pipelined' | 'alone';

// Commands whose effect outlives the statement and would reach whatever runs next on the session.
const SESSION_COMMANDS = new Set([
  'SET',
  'RESET',
  'BEGIN',
  'START',
  'LISTEN',
  'UNLISTEN',
  'PREPARE',
  'DEALLOCATE',
  'DISCARD',
  'DECLARE',
  'LOAD',
]);
const SESSION_LOCK = /pg_(try_)?advisory_lock(_shared)?\s*\(/i;
const SET_CONFIG = /set_config\s*\(/i;
// set_config(name, value, is_local) changes the whole session unless is_local is the literal true.
const SET_CONFIG_CALLS = /set_config\s*\(/gi;
const LOCAL_SET_CONFIG_CALLS = /set_config\s*\([^)]*,\s*true\s*\)/gi;
// A temporary table, view or sequence lives as long as the session, unless created ON COMMIT DROP.
const TEMP_CREATES = /\b(create\s+(or\s+replace\s+)?((global|local)\s+)?|into\s+)temp(orary)?\s/gi;
const ON_COMMIT_DROPS = /\bon\s+commit\s+drop\b/gi;
// SET [SESSION | LOCAL] ROLE / SESSION AUTHORIZATION: RESET ALL leaves both as they are.
const IDENTITY_SET = /\bset\s+((session|local)\s+)?(role|session\s+authorization)\b/i;
const MENTIONS_SET = /\bset\b/i;
const DO_BLOCK = /\bdo\s+(language\s+\w+\s+)?\$/i;

/** What running a statement leaves in its session beyond what the server's answer tells. */
export type SessionEffect = 'none' | 'reset' | 'discard';

/**
 * The first keyword of a statement, upper-cased, after leading blanks and comments; with its
 * second keyword for SET (to tell `SET LOCAL` from a session `SET`).
 */
export function leadingKeywords(sql: string): [string, string] {
  const words: string[] = [];
  let i = 0;
  while (i < sql.length && words.length < 2) {
    const c = sql.charCodeAt(i);
    if (c <= 32) i++;
    else if (sql.startsWith('--', i)) i = endOf(sql, '\n', i);
    else if (sql.startsWith('/*', i)) i = endOf(sql, '*/', i) + 1;
    else {
      const match = /^[A-Za-z_]+/.exec(sql.slice(i, i + 20));
      if (!match) break;
      words.push(match[0].toUpperCase());
      i += match[0].length;
    }
  }
  return [words[0] ?? '', words[1] ?? ''];
}

function endOf(sql: string, token: string, from: number): number {
  const at = sql.indexOf(token, from + 2);
  return at === -1 ? sql.length : at + 1;
}

/**
 * Several statements in one text (only possible without parameters: the simple protocol). A `;`
 * inside a string literal also counts, which only costs that statement its pipelining.
 */
export function isScript(sql: string, values: readonly unknown[] | undefined): boolean {
  if (values?.length) return false;
  const semicolon = sql.indexOf(';');
  return semicolon !== -1 && /;\s*[^\s;]/.test(sql.replace(/[\s;]+$/, ''));
}

/**
 * Where a one-shot statement runs: pipelined with other one-shots, alone on a connection of its
 * own (scripts, and statements that leave something in the session, `sessionEffect`: the return
 * path then cleans up as for any scope), or nowhere: a lone session command would leak to the
 * statements sharing its connection, and as a one-shot it could not have any use.
 */
export function routeOneShot(sql: string, values: readonly unknown[] | undefined): OneShotRoute {
  // Only a statement without values can be a script: the two kinds are remembered apart.
  const known = values?.length ? routesWithValues : routesWithoutValues;
  let route = known.get(sql);
  if (route === undefined) {
    route = findRoute(sql, values);
    if (known.size >= MAX_REMEMBERED_ROUTES) known.clear();
    known.set(sql, route);
  }
  return route;
}

// An application's statements are a few hundred texts: reading each once spares the regular
// expressions on every call; a flood of generated texts only clears the memory now and then.
const MAX_REMEMBERED_ROUTES = 2_000;
const routesWithValues = new Map<string, OneShotRoute>();
const routesWithoutValues = new Map<string, OneShotRoute>();
const effects = new Map<string, SessionEffect>();

/**
 * What a statement of a scope leaves in the session, read from its text (once per text): a
 * session advisory lock or a temporary object ('discard': only closing the session surely frees
 * them), a setting changed through set_config() or in a DO block ('reset'), or nothing. Commands
 * (SET, LISTEN…) are told by the server's answer instead.
 */
export function sessionEffect(sql: string): SessionEffect {
  let effect = effects.get(sql);
  if (effect === undefined) {
    const lasting = SESSION_LOCK.test(sql) || createsTemporaryObject(sql);
    effect = lasting ? 'discard' : setsSessionConfig(sql) ? 'reset' : doBlockEffect(sql);
    if (effects.size >= MAX_REMEMBERED_ROUTES) effects.clear();
    effects.set(sql, effect);
  }
  return effect;
}

/** Whether a set_config() call in `sql` may change a setting for the session: one whose is_local is not the literal `true`. */
function setsSessionConfig(sql: string): boolean {
  const calls = sql.match(SET_CONFIG_CALLS)?.length ?? 0;
  return calls > (sql.match(LOCAL_SET_CONFIG_CALLS)?.length ?? 0);
}

/** A DO block's body may SET anything (its answer only says DO): any mention of SET counts, UPDATE … SET too. */
function doBlockEffect(sql: string): SessionEffect {
  return DO_BLOCK.test(sql) && MENTIONS_SET.test(sql) ? setEffect(sql, false) : 'none';
}

/** Whether `sql` creates a temporary table, view or sequence that outlives its transaction. */
function createsTemporaryObject(sql: string): boolean {
  const creates = sql.match(TEMP_CREATES)?.length ?? 0;
  return creates > (sql.match(ON_COMMIT_DROPS)?.length ?? 0);
}

/**
 * What the SET commands of `sql` leave in the session (`single`: the answer is one statement's):
 * nothing for a lone `SET LOCAL` or `SET TRANSACTION` (they end with their transaction),
 * settings that `RESET ALL` undoes, or a role or session user, which `RESET ALL` keeps: then the
 * connection must go (in a script, any mention of one counts).
 */
export function setEffect(sql: string, single: boolean): SessionEffect {
  if (single && !isScript(sql, undefined)) {
    const [first, second] = leadingKeywords(sql);
    if (first === 'SET' && (second === 'LOCAL' || second === 'TRANSACTION')) return 'none';
  }
  return IDENTITY_SET.test(sql) ? 'discard' : 'reset';
}

function findRoute(sql: string, values: readonly unknown[] | undefined): OneShotRoute {
  if (isScript(sql, values)) return 'alone';
  const [first] = leadingKeywords(sql);
  if (SESSION_COMMANDS.has(first)) {
    throw new SessionStatementError(
      `${first} cannot run as a one-shot query: it would change the session that other statements share. ` +
        'Run it inside db.withConnection() or, for SET LOCAL, db.transaction().',
    );
  }
  return sessionEffect(sql) === 'none' ? 'pipelined' : 'alone';
}

/**
 * Through a transaction pooler, consecutive statements of one client may run on different server
 * sessions, and each server session serves other clients next: anything session-level is refused.
 */
export function assertTransactionScoped(sql: string, inTransaction: boolean): void {
  if (isScript(sql, undefined)) return; // scripts run whole in one transaction (pg-boss, migrations)
  const [first, second] = leadingKeywords(sql);
  const local = first === 'SET' && second === 'LOCAL' && inTransaction;
  const command = SESSION_COMMANDS.has(first) && first !== 'BEGIN' && first !== 'START' && !local;
  // set_config(name, value, is_local) is transaction-scoped only inside a transaction, with is_local true.
  const setConfig = SET_CONFIG.test(sql) && (!inTransaction || setsSessionConfig(sql));
  const lock = SESSION_LOCK.test(sql);
  const temporary = createsTemporaryObject(sql);
  if (command || setConfig || lock || temporary) {
    const what = lock
      ? 'A session advisory lock'
      : temporary
        ? 'A temporary object kept past its transaction'
        : setConfig
          ? 'set_config()'
          : first;
    throw new SessionStatementError(
      `${what} cannot be used through a transaction pooler: it would reach other clients of the pooler's ` +
        'server session. Use SET LOCAL, pg_advisory_xact_lock() or ON COMMIT DROP inside db.transaction().',
    );
  }
}
