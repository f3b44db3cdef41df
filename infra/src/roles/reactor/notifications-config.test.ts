import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { notificationsFromEnv } from './notifications-config.js';

const file = {
  receivers: [
    { name: 'noc', channel: 'email', to: ['noc@example.test'], from: 'np@example.test' },
    { name: 'hook', channel: 'webhook', urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET' },
  ],
  routes: [{ receivers: ['noc', 'hook'] }],
};
const files: Record<string, string> = { '/etc/np.json': JSON.stringify(file), '/etc/bad.json': '{ nope' };
const readFile = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT ${path}`);
  return text;
};
const env = {
  NETPULSE_NOTIFICATIONS_FILE: '/etc/np.json',
  SENDGRID_API_KEY: 'SG.sekrit-key',
  HOOK_URL: 'https://hooks.example.test/in/t0ken',
  HOOK_SECRET: 'whsec-sekrit',
};

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a failure');
};

describe('notifications configuration from the environment', () => {
  it('is off without a file', () => {
    expect(notificationsFromEnv({}, readFile)).toBeNull();
    expect(notificationsFromEnv({ NETPULSE_NOTIFICATIONS_FILE: '' }, readFile)).toBeNull();
  });

  it('reads the file, resolves the referenced secrets and defaults the SendGrid endpoint', () => {
    const setup = notificationsFromEnv(env, readFile)!;
    expect(setup.config.routes[0]!.receivers).toEqual(['noc', 'hook']);
    expect(setup.sendgridBaseUrl).toBe('https://api.sendgrid.com/');
    expect(setup.secrets.get('HOOK_SECRET')).toBe('whsec-sekrit');
    expect(JSON.stringify(setup)).not.toMatch(/sekrit|t0ken/);
    const local = notificationsFromEnv(
      { ...env, SENDGRID_API_BASE_URL: 'http://127.0.0.1:8025/' },
      readFile,
    )!;
    expect(local.sendgridBaseUrl).toBe('http://127.0.0.1:8025/');
  });

  it('names what is wrong without printing any value', () => {
    expect(
      message(() => notificationsFromEnv({ ...env, HOOK_SECRET: '', SENDGRID_API_KEY: undefined }, readFile)),
    ).toBe(
      [
        'invalid notifications configuration:',
        '  SENDGRID_API_KEY: not set (needed by email receiver noc)',
        '  HOOK_SECRET: not set (needed by webhook receiver hook)',
      ].join('\n'),
    );
    const badUrl = message(() => notificationsFromEnv({ ...env, HOOK_URL: 'ftp://t0ken@x' }, readFile));
    expect(badUrl).toContain('HOOK_URL: not an http(s) URL (webhook receiver hook)');
    expect(badUrl).not.toContain('t0ken');
    expect(
      message(() => notificationsFromEnv({ ...env, NETPULSE_NOTIFICATIONS_FILE: '/etc/bad.json' }, readFile)),
    ).toContain('/etc/bad.json is not valid JSON');
    expect(
      message(() => notificationsFromEnv({ ...env, NETPULSE_NOTIFICATIONS_FILE: '/nope' }, readFile)),
    ).toContain('/nope cannot be read');
    expect(
      message(() => notificationsFromEnv({ ...env, SENDGRID_API_BASE_URL: 'localhost' }, readFile)),
    ).toContain('SENDGRID_API_BASE_URL');
  });

  it('is part of the process configuration, and its errors stop start-up as configuration errors', () => {
    expect(loadConfig({}).reactor.notifications).toBeNull();
    expect(() => loadConfig({ NETPULSE_NOTIFICATIONS_FILE: '/definitely/missing.json' })).toThrow(
      /NETPULSE_NOTIFICATIONS_FILE: \/definitely\/missing.json cannot be read/,
    );
  });
});
