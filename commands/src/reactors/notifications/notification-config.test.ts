import { describe, expect, it } from 'vitest';
import { NotificationsConfig } from './notification-config.js';
import { Secrets, secretReferences } from './secrets.js';

const receivers = [
  { name: 'noc', channel: 'email', to: ['noc@example.test', 'oncall@example.test'], from: 'np@example.test' },
  { name: 'hook', channel: 'webhook', urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET' },
  { name: 'chat', channel: 'slack', urlEnv: 'CHAT_URL', text: '{{status}} {{device}}' },
];

const issues = (input: unknown): string[] => {
  const result = NotificationsConfig.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('notifications configuration', () => {
  it('fills Alertmanager defaults and route ids, and lets a route override its timing', () => {
    const config = NotificationsConfig.parse({
      receivers,
      routes: [{ receivers: ['noc'] }, { id: 'fast', receivers: ['hook'], groupWaitSeconds: 0, groupBy: [] }],
    });
    expect(config.routes[0]).toMatchObject({
      id: 'route-1',
      timing: {
        groupBy: ['condition'],
        groupWaitSeconds: 30,
        groupIntervalSeconds: 300,
        repeatIntervalSeconds: 14_400,
      },
    });
    expect(config.routes[1]!.timing).toMatchObject({
      groupBy: [],
      groupWaitSeconds: 0,
      groupIntervalSeconds: 300,
    });
    expect(config.retry).toEqual({
      maxAttempts: 4,
      initialDelaySeconds: 1,
      maxDelaySeconds: 30,
      jitter: 0.2,
    });
  });

  it('rejects unknown receivers, duplicates, unknown placeholders and a webhook without exactly one URL', () => {
    expect(
      issues({
        receivers: [
          ...receivers,
          { name: 'noc', channel: 'slack', urlEnv: 'OTHER_URL', text: '{{sevrity}}' },
          { name: 'both', channel: 'webhook', url: 'http://127.0.0.1:1/', urlEnv: 'X_URL', secretEnv: 'S' },
        ],
        routes: [{ receivers: ['nobody'] }, { escalation: [{ level: 1, receivers: ['ghost'] }] }],
      }),
    ).toEqual([
      'receivers.3.text: unknown placeholders: sevrity',
      'receivers.3.name: duplicate receiver name',
      'receivers.4: give exactly one of url and urlEnv',
      'routes.0.receivers.0: unknown receiver nobody',
      'routes.1.escalation.0.receivers.0: unknown receiver ghost',
    ]);
  });

  it('accepts secrets only by reference: a literal secret field is an error', () => {
    expect(
      issues({
        receivers: [{ name: 'chat', channel: 'slack', url: 'https://hooks.example/T/B/x' }],
        routes: [{ receivers: ['chat'] }],
      }),
    ).toContain('receivers.0: Unrecognized key: "url"');
  });

  it('lists every referenced variable with what needs it', () => {
    const config = NotificationsConfig.parse({ receivers, routes: [{ receivers: ['noc', 'hook', 'chat'] }] });
    expect([...secretReferences(config)]).toEqual([
      ['SENDGRID_API_KEY', 'email receiver noc'],
      ['HOOK_SECRET', 'webhook receiver hook'],
      ['HOOK_URL', 'webhook receiver hook'],
      ['CHAT_URL', 'slack receiver chat'],
    ]);
  });
});

describe('secrets', () => {
  const secrets = new Secrets({ HOOK_SECRET: 'hunter2-long', CHAT_URL: 'https://hooks.example/T1/B2/tok3n' });

  it('never shows values when serialised or inspected, and masks them in foreign text', async () => {
    const { inspect } = await import('node:util');
    expect(JSON.stringify({ secrets })).toBe('{"secrets":"[redacted]"}');
    expect(inspect(secrets)).toBe('Secrets(HOOK_SECRET, CHAT_URL)');
    const text = 'POST https://hooks.example/T1/B2/tok3n failed; key hunter2-long';
    expect(secrets.redact(text)).toBe('POST [redacted] failed; key [redacted]');
    expect(secrets.leaks(text)).toBe(true);
    expect(secrets.leaks(secrets.redact(text))).toBe(false);
  });

  it('names a missing variable without guessing a value', () => {
    expect(() => secrets.get('NOPE')).toThrow('secret NOPE is not configured');
  });
});
