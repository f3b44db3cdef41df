export * from './handler/command-bus.js';
export * from './handler/command-handler.js';
