export * from './accounts.js';
export * from './effects-builder.js';
export * from './idempotency.js';
export * from './ledger-draft.js';
export * from './ledger-port.js';
export * from './points-decisions.js';
export * from './points-service.js';
export * from './standings.js';
