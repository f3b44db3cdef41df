export * from './health/health-plugin.js';
export * from './server.js';
