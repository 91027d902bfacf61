/**
 * The named prepared statements of one server connection: at most `capacity`, the least recently
 * used given up first. Names are never reused (a counter), so a statement re-prepared after an
 * eviction or a schema change can never meet its old plan; the names given up are deallocated on
 * the server the next time the connection sends something.
 */
export class StatementCache {
  readonly #capacity: number;
  /** SQL text → its statement's name, and when it was last used. */
  readonly #entries = new Map<string, { readonly name: string; used: number }>();
  #released: string[] = [];
  #counter = 0;
  /** Counts uses: a hit only stamps its entry, the oldest stamp is found when one must go. */
  #clock = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The statement's name on this connection, preparing a new one (and evicting the oldest) if needed. */
  nameFor(sql: string): string {
    const known = this.#entries.get(sql);
    if (known !== undefined) {
      known.used = ++this.#clock;
      return known.name;
    }
    const name = `agora_${++this.#counter}`;
    this.#entries.set(sql, { name, used: ++this.#clock });
    if (this.#entries.size > this.#capacity) this.#evictLeastRecentlyUsed();
    return name;
  }

  /** A scan of the entries, only when a statement new to the connection finds the cache full. */
  #evictLeastRecentlyUsed(): void {
    let oldest: string | undefined;
    let oldestUse = Number.POSITIVE_INFINITY;
    for (const [sql, { used }] of this.#entries) {
      if (used < oldestUse) {
        oldest = sql;
        oldestUse = used;
      }
    }
    if (oldest !== undefined) this.invalidate(oldest);
  }

  /** The server's plan for `sql` no longer fits (schema change): prepare it afresh next time. */
  invalidate(sql: string): void {
    const entry = this.#entries.get(sql);
    if (entry === undefined) return;
    this.#entries.delete(sql);
    this.#released.push(entry.name);
  }

  /** Names to deallocate on the server, handed over once. */
  takeReleased(): string[] {
    const released = this.#released;
    if (released.length) this.#released = [];
    return released;
  }

  get size(): number {
    return this.#entries.size;
  }
}
