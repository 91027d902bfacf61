// Every rule broken in src/domain/ throws ValidationError (bad input) or TransitionError (a
// status change the machines refuse), members of the application's error model (src/errors.ts).
// `details` carries the numbers a translated message needs (limits, actual length, ...).
import { ConflictError, type ErrorDetails, InvalidInputError } from '../errors.ts';

/** Text fields checked by the length/characters rules of validation.ts. */
export const TEXT_FIELDS = [
  'title',
  'description',
  'seller_name',
  'bio',
  'review_text',
  'ticket_subject',
  'ticket_message',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

const TEXT_PROBLEMS = ['required', 'too_short', 'too_long', 'invalid_chars'] as const;
type TextCode = `${TextField}_${(typeof TEXT_PROBLEMS)[number]}`;

const OTHER_CODES = [
  'price_required',
  'price_invalid',
  'price_negative',
  'price_too_precise',
  'price_below_minimum',
  'price_above_maximum',
  'amount_invalid',
  'email_required',
  'email_too_long',
  'email_invalid',
  'solana_address_required',
  'solana_address_length',
  'solana_address_invalid_chars',
  'solana_address_wrong_size',
  'rating_invalid',
  'id_required',
  'id_invalid',
  'id_ambiguous_char',
  'id_wrong_kind',
  'percent_invalid',
  'image_type_invalid',
  'image_dimensions_too_large',
  'image_ratio_too_large',
] as const;

export type ValidationCode = TextCode | (typeof OTHER_CODES)[number];

/** Every validation code, e.g. to check that each one has a translation. */
export const VALIDATION_CODES: readonly ValidationCode[] = [
  ...TEXT_FIELDS.flatMap((field) => TEXT_PROBLEMS.map((problem): TextCode => `${field}_${problem}`)),
  ...OTHER_CODES,
];

/** Input a person typed (or a client sent) breaks a rule. `field` names the input. */
export class ValidationError extends InvalidInputError {
  declare readonly code: ValidationCode;
  constructor(code: ValidationCode, field: string, message: string, details: ErrorDetails = {}) {
    super(code, field, message, details);
  }
}

export type TransitionCode =
  | 'order_transition_forbidden'
  | 'payment_transition_forbidden'
  | 'product_transition_forbidden'
  | 'product_banned'
  | 'product_deleted'
  | 'ticket_transition_forbidden';

/** A status change that the transition tables of status.ts do not allow. */
export class TransitionError extends ConflictError {
  declare readonly code: TransitionCode;
  readonly entity: 'order' | 'payment' | 'product' | 'ticket';
  readonly from: string;
  readonly to: string;
  constructor(
    code: TransitionCode,
    entity: TransitionError['entity'],
    from: string,
    to: string,
    message?: string,
  ) {
    super(code, message ?? `This ${entity} cannot move from '${from}' to '${to}'.`, { entity, from, to });
    this.entity = entity;
    this.from = from;
    this.to = to;
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ValidationError };

/**
 * Runs a validator and returns its outcome instead of throwing, for callers (bot wizards)
 * that branch on the error. Anything other than a ValidationError is a bug and is rethrown.
 */
export function check<T>(validate: () => T): Result<T> {
  try {
    return { ok: true, value: validate() };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, error };
    throw error;
  }
}
