// Helpers every repository shares: page requests and pages, and LIKE patterns.

/** Paging for lists: `limit` rows after skipping `offset`. */
export interface PageRequest {
  limit?: number;
  offset?: number;
}

export interface Page<T> {
  items: T[];
  /** Rows matching, across all pages. */
  total: number;
  limit: number;
  offset: number;
}

export const MAX_PAGE_SIZE = 100;

/** Whole numbers within bounds, so a bad page parameter never reaches SQL. */
export function pageBounds(page: PageRequest = {}, defaultLimit = 20): { limit: number; offset: number } {
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? defaultLimit) || defaultLimit, 1), MAX_PAGE_SIZE);
  const offset = Math.max(Math.trunc(page.offset ?? 0) || 0, 0);
  return { limit, offset };
}

/** '%text%' with LIKE's wildcards taken literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
