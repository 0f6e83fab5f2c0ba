export * from './errors.js';
export * from './site.js';
export * from './health.js';
