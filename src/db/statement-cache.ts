/**
 * The named prepared statements of one server connection: at most `capacity`, the least recently
 * used given up first. Names are never reused (a counter), so a statement re-prepared after an
 * eviction or a schema change can never meet its old plan; the names given up are deallocated on
 * the server the next time the connection sends something.
 */
export class StatementCache {
  readonly #capacity: number;
  /** SQL text → statement name, least recently used first (a Map keeps insertion order). */
  readonly #names = new Map<string, string>();
  #released: string[] = [];
  #counter = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The statement's name on this connection, preparing a new one (and evicting the oldest) if needed. */
  nameFor(sql: string): string {
    const known = this.#names.get(sql);
    if (known !== undefined) {
      this.#names.delete(sql);
      this.#names.set(sql, known);
      return known;
    }
    const name = `agora_${++this.#counter}`;
    this.#names.set(sql, name);
    if (this.#names.size > this.#capacity) {
      const [oldest, oldestName] = this.#names.entries().next().value as [string, string];
      this.#names.delete(oldest);
      this.#released.push(oldestName);
    }
    return name;
  }

  /** The server's plan for `sql` no longer fits (schema change): prepare it afresh next time. */
  invalidate(sql: string): void {
    const name = this.#names.get(sql);
    if (name === undefined) return;
    this.#names.delete(sql);
    this.#released.push(name);
  }

  /** Names to deallocate on the server, handed over once. */
  takeReleased(): string[] {
    const released = this.#released;
    if (released.length) this.#released = [];
    return released;
  }

  get size(): number {
    return this.#names.size;
  }
}
