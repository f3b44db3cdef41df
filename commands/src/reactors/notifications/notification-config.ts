import { Id, Severity, Tag } from '@netpulse/domain';
import { z } from 'zod';
import { unknownPlaceholders } from './templates/placeholders.js';

/**
 * The notifications file: who is told about which alerts, on which channel, and how alerts are
 * grouped. Secrets are never written here: receivers name the environment variables that hold them
 * (`secretEnv`, `urlEnv`, `sendgrid.apiKeyEnv`), so the file can be reviewed and versioned freely.
 */

const Name = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'names use 1-64 letters, digits and _ . : -');
const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'an environment variable name (A-Z, 0-9, _)');
const HttpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2000);
const Email = z.email().max(254);

const Template = z
  .string()
  .min(1)
  .max(500)
  .superRefine((template, ctx) => {
    const unknown = unknownPlaceholders(template);
    if (unknown.length > 0)
      ctx.addIssue({ code: 'custom', message: `unknown placeholders: ${unknown.join(', ')}` });
  });

/** What a group key may be built from, besides the organization (always part of it). */
export const groupLabels = ['severity', 'device', 'condition', 'rule', 'alert'] as const;
export const GroupLabel = z.enum(groupLabels);
export type GroupLabel = z.infer<typeof GroupLabel>;

const timingFields = {
  groupBy: z.array(GroupLabel).max(groupLabels.length),
  /** How long a new group waits for more alerts before its first notification. */
  groupWaitSeconds: z.number().min(0).max(86_400),
  /** The least time between two notifications of one group. */
  groupIntervalSeconds: z.number().positive().max(86_400),
  /** How long before a still-firing, unacknowledged alert is notified again. */
  repeatIntervalSeconds: z
    .number()
    .positive()
    .max(30 * 86_400),
};

/** Alertmanager's defaults: 30 s, 5 min, 4 h; grouped by condition within each organization. */
export const Timing = z.object({
  groupBy: timingFields.groupBy.default(['condition']),
  groupWaitSeconds: timingFields.groupWaitSeconds.default(30),
  groupIntervalSeconds: timingFields.groupIntervalSeconds.default(300),
  repeatIntervalSeconds: timingFields.repeatIntervalSeconds.default(14_400),
});
export type Timing = z.infer<typeof Timing>;

const Timeout = z.number().min(0.05).max(120).default(10);

export const EmailReceiver = z
  .object({
    name: Name,
    channel: z.literal('email'),
    to: z.array(Email).min(1).max(20),
    from: Email,
    fromName: z.string().trim().min(1).max(100).optional(),
    /** Subject template; the default names status, count, severity and the first summary. */
    subject: Template.optional(),
  })
  .strict();

export const WebhookReceiver = z
  .object({
    name: Name,
    channel: z.literal('webhook'),
    /** The endpoint, when it is not itself a secret; otherwise `urlEnv`. */
    url: HttpUrl.optional(),
    urlEnv: EnvName.optional(),
    /** The variable holding the HMAC-SHA256 signing secret. */
    secretEnv: EnvName,
    timeoutSeconds: Timeout,
  })
  .strict();

export const SlackReceiver = z
  .object({
    name: Name,
    channel: z.literal('slack'),
    /** Incoming-webhook URLs carry their token: always by reference. */
    urlEnv: EnvName,
    /** Template of the message's fallback text and heading. */
    text: Template.optional(),
    timeoutSeconds: Timeout,
  })
  .strict();

export const Receiver = z.discriminatedUnion('channel', [EmailReceiver, WebhookReceiver, SlackReceiver]);
export type Receiver = z.infer<typeof Receiver>;
export type EmailReceiver = z.infer<typeof EmailReceiver>;
export type WebhookReceiver = z.infer<typeof WebhookReceiver>;
export type SlackReceiver = z.infer<typeof SlackReceiver>;

/** A condition pattern: exact, or a prefix ending in `*` (e.g. `metric:*`). */
const ConditionPattern = z.string().min(1).max(200);

export const RouteMatch = z
  .object({
    organizations: z.array(Id).min(1).optional(),
    severities: z.array(Severity).min(1).optional(),
    /** The device carries at least one of these tags (as alert rule scopes read tags). */
    tags: z.array(Tag).min(1).optional(),
    conditions: z.array(ConditionPattern).min(1).optional(),
  })
  .strict();
export type RouteMatch = z.infer<typeof RouteMatch>;

export const EscalationStep = z
  .object({
    /** Notified once the alert reaches this escalation level (AlertEscalated). */
    level: z.number().int().min(1).max(10),
    receivers: z.array(Name).min(1).max(20),
  })
  .strict();

const RouteInput = z
  .object({
    id: Name.optional(),
    match: RouteMatch.prefault({}),
    receivers: z.array(Name).max(20).default([]),
    escalation: z.array(EscalationStep).max(10).default([]),
    /** Keep evaluating the routes after this one matched (Alertmanager's `continue`). */
    continue: z.boolean().default(false),
    groupBy: timingFields.groupBy.optional(),
    groupWaitSeconds: timingFields.groupWaitSeconds.optional(),
    groupIntervalSeconds: timingFields.groupIntervalSeconds.optional(),
    repeatIntervalSeconds: timingFields.repeatIntervalSeconds.optional(),
  })
  .strict();

export const RetryPolicy = z
  .object({
    /** Attempts per notification before it waits for the group's next interval. */
    maxAttempts: z.number().int().min(1).max(10).default(4),
    initialDelaySeconds: z.number().min(0).max(600).default(1),
    maxDelaySeconds: z.number().min(0).max(3_600).default(30),
    /** Share of each delay drawn at random, so failing receivers are not hit in lockstep. */
    jitter: z.number().min(0).max(1).default(0.2),
  })
  .strict();
export type RetryPolicy = z.infer<typeof RetryPolicy>;

const FileInput = z
  .object({
    defaults: Timing.strict().prefault({}),
    receivers: z.array(Receiver).min(1).max(200),
    routes: z.array(RouteInput).min(1).max(200),
    retry: RetryPolicy.prefault({}),
    sendgrid: z
      .object({ apiKeyEnv: EnvName.default('SENDGRID_API_KEY'), timeoutSeconds: Timeout })
      .strict()
      .prefault({}),
    /** Where the dashboard lives, for links to alerts and devices in every message. */
    links: z.object({ baseUrl: HttpUrl }).strict().optional(),
    /** How often due groups are looked for. */
    tickSeconds: z.number().min(0.01).max(60).default(1),
  })
  .strict();

/** What the channel records as `target`: the addresses, or the receiver's name (never a URL). */
export const targetOf = (receiver: Receiver): string =>
  receiver.channel === 'email' ? receiver.to.join(',') : receiver.name;

/** The key of a receiver in recorded notifications, as `NotificationSent` spells it. */
export const targetKeyOf = (channel: string, target: string): string => `${channel}:${target}`;

const checkReferences = (file: z.infer<typeof FileInput>, ctx: z.RefinementCtx) => {
  const names = new Set<string>();
  const targets = new Set<string>();
  file.receivers.forEach((receiver, i) => {
    if (names.has(receiver.name)) {
      ctx.addIssue({ code: 'custom', path: ['receivers', i, 'name'], message: 'duplicate receiver name' });
    }
    names.add(receiver.name);
    const key = targetKeyOf(receiver.channel, targetOf(receiver));
    if (targets.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['receivers', i],
        message: 'same destination as another receiver',
      });
    }
    targets.add(key);
    if (receiver.channel === 'email' && targetOf(receiver).length > 320) {
      ctx.addIssue({
        code: 'custom',
        path: ['receivers', i, 'to'],
        message: 'at most 320 characters together',
      });
    }
    if (receiver.channel === 'webhook' && (receiver.url === undefined) === (receiver.urlEnv === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['receivers', i], message: 'give exactly one of url and urlEnv' });
    }
  });
  const ids = new Set<string>();
  file.routes.forEach((route, i) => {
    const id = route.id ?? `route-${i + 1}`;
    if (ids.has(id))
      ctx.addIssue({ code: 'custom', path: ['routes', i, 'id'], message: 'duplicate route id' });
    ids.add(id);
    const refs = [
      ...route.receivers.map((name, j) => ({ name, path: ['routes', i, 'receivers', j] })),
      ...route.escalation.flatMap((step, s) =>
        step.receivers.map((name, j) => ({ name, path: ['routes', i, 'escalation', s, 'receivers', j] })),
      ),
    ];
    for (const ref of refs) {
      if (!names.has(ref.name)) {
        ctx.addIssue({ code: 'custom', path: ref.path, message: `unknown receiver ${ref.name}` });
      }
    }
    if (route.receivers.length === 0 && route.escalation.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['routes', i],
        message: 'a route needs receivers or escalation steps',
      });
    }
  });
};

export type Route = Readonly<{
  id: string;
  match: RouteMatch;
  receivers: readonly string[];
  escalation: readonly z.infer<typeof EscalationStep>[];
  continue: boolean;
  timing: Timing;
}>;

/** Routes get an id (`route-<n>` by position) and their timing with the defaults filled in. */
export const NotificationsConfig = FileInput.superRefine(checkReferences).transform((file) => {
  const routes: Route[] = file.routes.map((route, i) => ({
    id: route.id ?? `route-${i + 1}`,
    match: route.match,
    receivers: route.receivers,
    escalation: [...route.escalation].sort((a, b) => a.level - b.level),
    continue: route.continue,
    timing: {
      groupBy: route.groupBy ?? file.defaults.groupBy,
      groupWaitSeconds: route.groupWaitSeconds ?? file.defaults.groupWaitSeconds,
      groupIntervalSeconds: route.groupIntervalSeconds ?? file.defaults.groupIntervalSeconds,
      repeatIntervalSeconds: route.repeatIntervalSeconds ?? file.defaults.repeatIntervalSeconds,
    },
  }));
  return { ...file, routes };
});
export type NotificationsConfig = z.output<typeof NotificationsConfig>;
export type NotificationsConfigInput = z.input<typeof NotificationsConfig>;
