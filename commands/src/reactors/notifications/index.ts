export * from './channels/create-notifiers.js';
export * from './channels/notifier.js';
export { ATTEMPT_HEADER, NOTIFICATION_ID_HEADER } from './channels/webhook-notifier.js';
export * from './metrics.js';
export type { Notification, NotificationAlert } from './notification.js';
export * from './notification-config.js';
export * from './notifications-reactor.js';
export * from './secrets.js';
export * from './signature.js';
