import { type Moment, type NotifiableAlert, reachedLevelAt } from './notifiable-alert.js';
import type { Route, RouteMatch } from './notification-config.js';

/** What routing needs to know of the alert's device (alert events carry no tags of their own). */
export type DeviceInfo = Readonly<{ name: string; tags: readonly string[] }>;

/** One receiver an alert goes to, the route that sent it there, and since when it may be told. */
export type Routing = Readonly<{
  receiver: string;
  route: Route;
  /** `escalation` when only an escalation step reaches the receiver: it is told `escalated`. */
  via: 'route' | 'escalation';
  since: Moment;
}>;

const conditionMatches = (pattern: string, condition: string): boolean =>
  pattern.endsWith('*') ? condition.startsWith(pattern.slice(0, -1)) : pattern === condition;

/** Every given criterion must hold; a tag criterion needs a known device carrying one of the tags. */
export const routeMatches = (match: RouteMatch, alert: NotifiableAlert, device: DeviceInfo | null): boolean =>
  (!match.organizations || match.organizations.includes(alert.organizationId)) &&
  (!match.severities || match.severities.includes(alert.severity)) &&
  (!match.conditions || match.conditions.some((pattern) => conditionMatches(pattern, alert.condition))) &&
  (!match.tags || (device !== null && match.tags.some((tag) => device.tags.includes(tag))));

/**
 * The receivers of an alert now. Routes are tried in order; the first match ends the walk unless it
 * says `continue`. A route's escalation steps add their receivers once the alert reaches the step's
 * level. A receiver named twice keeps its first route (so one alert has one history per receiver).
 */
export const routeAlert = (
  alert: NotifiableAlert,
  device: DeviceInfo | null,
  routes: readonly Route[],
): Routing[] => {
  const found = new Map<string, Routing>();
  for (const route of routes) {
    if (!routeMatches(route.match, alert, device)) continue;
    for (const receiver of route.receivers) {
      if (!found.has(receiver))
        found.set(receiver, { receiver, route, via: 'route', since: alert.notifiableSince });
    }
    for (const step of route.escalation) {
      const reached = reachedLevelAt(alert, step.level);
      if (!reached) continue;
      for (const receiver of step.receivers) {
        if (!found.has(receiver)) {
          found.set(receiver, {
            receiver,
            route,
            via: 'escalation',
            since: { at: reached.at, eventId: reached.eventId },
          });
        }
      }
    }
    if (!route.continue) break;
  }
  return [...found.values()];
};

/** The route whose timing applies to a receiver the alert is no longer routed to (for its recovery). */
export const routeOfReceiver = (receiver: string, routes: readonly Route[]): Route | undefined =>
  routes.find(
    (route) =>
      route.receivers.includes(receiver) ||
      route.escalation.some((step) => step.receivers.includes(receiver)),
  );
