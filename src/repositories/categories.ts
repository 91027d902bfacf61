// Catalog categories, shown by position with names in French and English.
import type { Queryable } from '../db/index.ts';
import { SUSPENDED_SQL } from './users.ts';

export type Category = {
  id: number;
  slug: string;
  nameFr: string;
  nameEn: string;
  emoji: string;
  position: number;
};

export type CategoryWithCount = Category & {
  /** Products a buyer can see in it now. */
  activeProducts: number;
};

const CATEGORY_COLUMNS = `c.id, c.slug, c.name_fr AS "nameFr", c.name_en AS "nameEn", c.emoji, c.position`;

/** Every category by position, with the count a buyer sees (active products of sellers not suspended). */
export async function listCategories(q: Queryable): Promise<CategoryWithCount[]> {
  return q.many<CategoryWithCount>(
    `SELECT ${CATEGORY_COLUMNS}, count(p.id)::int AS "activeProducts"
     FROM categories c
     LEFT JOIN (products p JOIN users u ON u.id = p.seller_id AND NOT ${SUSPENDED_SQL})
       ON p.category_id = c.id AND p.status = 'active'
     GROUP BY c.id ORDER BY c.position, c.id`,
  );
}

export async function getCategoryById(q: Queryable, id: number): Promise<Category | null> {
  return q.maybeOne<Category>(`SELECT ${CATEGORY_COLUMNS} FROM categories c WHERE c.id = $1`, [id]);
}

export async function getCategoryBySlug(q: Queryable, slug: string): Promise<Category | null> {
  return q.maybeOne<Category>(`SELECT ${CATEGORY_COLUMNS} FROM categories c WHERE c.slug = $1`, [slug]);
}

export interface NewCategory {
  slug: string;
  nameFr: string;
  nameEn: string;
  emoji?: string;
  /** Default: after the last one. */
  position?: number;
}

/** Admins may add categories. UniqueViolationError `categories_slug_key`, CheckViolationError on bad text. */
export async function createCategory(q: Queryable, category: NewCategory): Promise<Category> {
  return q.one<Category>(
    `INSERT INTO categories AS c (slug, name_fr, name_en, emoji, position)
     VALUES ($1, $2, $3, $4, coalesce($5, (SELECT coalesce(max(position), 0) + 1 FROM categories)))
     RETURNING ${CATEGORY_COLUMNS}`,
    [category.slug, category.nameFr, category.nameEn, category.emoji ?? '', category.position ?? null],
  );
}
