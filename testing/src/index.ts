export * from './backend.js';
export * from './ports.js';
export * from './postgres.js';
