// The people of the local chat page: each has their own private chat with the bot and their own
// Telegram language. The admin is added to ADMIN_IDS for the session; the demo seed's people
// (`npm run seed:demo`) are there too, so its shops and sales can be seen from the inside.
import type { User } from 'grammy/types';

export interface Identity {
  user: User;
  /** What this person is for in the marketplace (the switcher's label). */
  role: 'buyer' | 'seller' | 'admin';
}

const person = (id: number, first_name: string, language_code: string): User => ({
  id,
  is_bot: false,
  first_name,
  language_code,
});

export const IDENTITIES: readonly Identity[] = [
  { user: person(710_002, 'Bruno', 'fr'), role: 'buyer' },
  { user: person(710_001, 'Ana', 'en'), role: 'seller' },
  // The demo seed's admin id (scripts/seed-demo.ts), so its tickets and payouts are theirs to see.
  { user: person(900_000_000, 'Ada', 'en'), role: 'admin' },
  // A seeded shop with 30 days of sales, and one of its buyers.
  { user: person(900_000_001, 'Camille', 'fr'), role: 'seller' },
  { user: person(900_000_101, 'Acheteur 1', 'fr'), role: 'buyer' },
];

export function identity(id: number): Identity | undefined {
  return IDENTITIES.find((i) => i.user.id === id);
}
