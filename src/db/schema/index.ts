export * from './catalog.js';
export * from './matches.js';
export * from './operations.js';
