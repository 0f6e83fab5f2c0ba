export * from './errors.js';
export * from './site.js';
export * from './health.js';
export * from './sandbox.js';
export * from './chat.js';
export * from './sms-segments.js';
export * from './availability.js';
export * from './calls.js';
