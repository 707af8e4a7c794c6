export * from './fixed-point.js';
export * from './request-fingerprint.js';
export * from './zoned-time.js';
