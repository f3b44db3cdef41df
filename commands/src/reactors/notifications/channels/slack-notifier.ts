import type { SlackReceiver } from '../notification-config.js';
import { renderSlackMessage } from '../templates/slack-message.js';
import { postJson } from './http-post.js';
import type { Notifier } from './notifier.js';

/** A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat): `text` plus blocks. */
export const createSlackNotifier = (
  options: Readonly<{ receiver: SlackReceiver; url: string }>,
): Notifier => {
  const { receiver, url } = options;
  return {
    channel: 'slack',
    target: receiver.name,
    send: async (notification) => {
      const body = JSON.stringify(renderSlackMessage(notification, receiver.text));
      await postJson(url, body, {}, receiver.timeoutSeconds * 1000);
    },
  };
};
