export * from './catalog.js';
export * from './matches.js';
export * from './operations.js';
export * from './auth.js';
export * from './predictions.js';
export * from './live.js';
export * from './analysis.js';
export * from './rules.js';
