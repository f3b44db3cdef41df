import { inspect } from 'node:util';
import type { NotificationsConfig } from './notification-config.js';

const MASK = '[redacted]';

/**
 * The environment variables a configuration refers to, each with what needs it (for a start-up
 * message that names the variable, never its value).
 */
export const secretReferences = (config: NotificationsConfig): ReadonlyMap<string, string> => {
  const refs = new Map<string, string>();
  const add = (name: string | undefined, user: string) => {
    if (name !== undefined && !refs.has(name)) refs.set(name, user);
  };
  for (const receiver of config.receivers) {
    if (receiver.channel === 'email') add(config.sendgrid.apiKeyEnv, `email receiver ${receiver.name}`);
    if (receiver.channel === 'webhook') {
      add(receiver.secretEnv, `webhook receiver ${receiver.name}`);
      add(receiver.urlEnv, `webhook receiver ${receiver.name}`);
    }
    if (receiver.channel === 'slack') add(receiver.urlEnv, `slack receiver ${receiver.name}`);
  }
  return refs;
};

/**
 * Secret values by variable name. Printing, logging or serialising the holder shows nothing, and
 * `redact` masks every value in text that came from elsewhere (a library's error message).
 */
export class Secrets {
  readonly #values: ReadonlyMap<string, string>;
  readonly #longestFirst: readonly string[];

  constructor(values: Readonly<Record<string, string>>) {
    this.#values = new Map(Object.entries(values).filter(([, value]) => value.length > 0));
    this.#longestFirst = [...new Set(this.#values.values())].sort((a, b) => b.length - a.length);
  }

  get(name: string): string {
    const value = this.#values.get(name);
    if (value === undefined) throw new Error(`secret ${name} is not configured`);
    return value;
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.#longestFirst)
      if (result.includes(secret)) result = result.split(secret).join(MASK);
    return result;
  }

  /** True when the text holds any secret; tests and a last check before logging use it. */
  leaks(text: string): boolean {
    return this.#longestFirst.some((secret) => text.includes(secret));
  }

  toJSON(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return `Secrets(${[...this.#values.keys()].join(', ')})`;
  }
}
