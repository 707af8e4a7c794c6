export * from './errors.js';
export * from './events.js';
export * from './ports.js';
export * from './types.js';
