-- Up Migration

-- The seven categories of SPEC.md; admins may add more. Slugs are the stable handle for code.
INSERT INTO categories (slug, name_fr, name_en, emoji, position) VALUES
  ('finance-crypto', 'Finance & Crypto', 'Finance & Crypto', '💰', 1),
  ('digital-marketing', 'Marketing Digital', 'Digital Marketing', '📈', 2),
  ('development', 'Développement', 'Development', '💻', 3),
  ('design-creative', 'Design & Créatif', 'Design & Creative', '🎨', 4),
  ('business', 'Business', 'Business', '📊', 5),
  ('professional-training', 'Formation Pro', 'Professional Training', '🎓', 6),
  ('tools-tech', 'Outils & Tech', 'Tools & Tech', '🔧', 7);

-- Down Migration

-- Fails (products_category_id_fkey) while a product still uses one of them: nothing is lost.
DELETE FROM categories
WHERE slug IN (
  'finance-crypto', 'digital-marketing', 'development', 'design-creative', 'business',
  'professional-training', 'tools-tech'
);
