import { readFileSync } from 'node:fs';
import { NotificationsConfig, Secrets, secretReferences } from '@netpulse/commands';
import { z } from 'zod';

/**
 * The notifications section: off unless `NETPULSE_NOTIFICATIONS_FILE` names a JSON file (format in
 * README.md and commands/src/reactors/notifications/notification-config.ts).
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `NETPULSE_NOTIFICATIONS_FILE` | receivers, routes, grouping and retry settings (JSON) | unset: no notifications |
 * | `SENDGRID_API_BASE_URL` | base of the SendGrid v3 API that e-mail goes to | `https://api.sendgrid.com/` |
 * | the variables the file names (`sendgrid.apiKeyEnv`, default `SENDGRID_API_KEY`; each `secretEnv`, `urlEnv`) | API key, signing secrets, secret URLs | required when referenced |
 */
export const NotificationsEnvSchema = z.object({
  NETPULSE_NOTIFICATIONS_FILE: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().optional(),
  ),
  SENDGRID_API_BASE_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).default('https://api.sendgrid.com/'),
  ),
});

export type NotificationsSetup = Readonly<{
  file: string;
  config: NotificationsConfig;
  /** Values of the referenced variables; never logged (serialises as `[redacted]`). */
  secrets: Secrets;
  sendgridBaseUrl: string;
}>;

export class NotificationsConfigError extends Error {
  override readonly name = 'NotificationsConfigError';
}

const fail = (lines: readonly string[]): never => {
  throw new NotificationsConfigError(
    `invalid notifications configuration:\n${lines.map((line) => `  ${line}`).join('\n')}`,
  );
};
const problems = (error: z.ZodError, prefix = ''): string[] =>
  error.issues.map((issue) => `${prefix}${issue.path.join('.')}: ${issue.message}`);

const isHttpUrl = (value: string): boolean => z.url({ protocol: /^https?$/ }).safeParse(value).success;

/**
 * Reads and validates the notifications file and the variables it refers to. Null when notifications
 * are not configured. Messages name files, paths and variables, never a value read from them.
 */
export const notificationsFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): NotificationsSetup | null => {
  const vars = NotificationsEnvSchema.safeParse(env);
  if (!vars.success) return fail(problems(vars.error));
  const file = vars.data.NETPULSE_NOTIFICATIONS_FILE;
  if (file === undefined) return null;
  let text: string;
  try {
    text = readFile(file);
  } catch {
    return fail([`NETPULSE_NOTIFICATIONS_FILE: ${file} cannot be read`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail([`NETPULSE_NOTIFICATIONS_FILE: ${file} is not valid JSON`]);
  }
  const parsed = NotificationsConfig.safeParse(json);
  if (!parsed.success) return fail(problems(parsed.error, `${file}: `));
  const config = parsed.data;
  const urlRefs = new Set(
    config.receivers.flatMap((receiver) =>
      'urlEnv' in receiver && receiver.urlEnv ? [receiver.urlEnv] : [],
    ),
  );
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, user] of secretReferences(config)) {
    const value = env[name];
    if (!value) missing.push(`${name}: not set (needed by ${user})`);
    else if (urlRefs.has(name) && !isHttpUrl(value)) missing.push(`${name}: not an http(s) URL (${user})`);
    else values[name] = value;
  }
  if (missing.length > 0) return fail(missing);
  return { file, config, secrets: new Secrets(values), sendgridBaseUrl: vars.data.SENDGRID_API_BASE_URL };
};
