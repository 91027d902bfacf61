// Pure business rules: no I/O, no database. Services and adapters import from here.
export * from './badges.ts';
export * from './base58.ts';
export * from './coins.ts';
export * from './csv.ts';
export * from './download-type.ts';
export * from './errors.ts';
export * from './fees.ts';
export * from './ids.ts';
export * from './images.ts';
export * from './money.ts';
export * from './rating.ts';
export * from './status.ts';
export * from './validation.ts';
