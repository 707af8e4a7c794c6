// The domain, by feature: plans, markets, points, and what they share (errors, clock, dates, calendar).
export * from './markets/index.js';
export * from './plans/index.js';
export * from './points/index.js';
export * from './shared/index.js';
