export * from './health/health-plugin.js';
export * from './metrics/metrics-plugin.js';
export * from './server.js';
