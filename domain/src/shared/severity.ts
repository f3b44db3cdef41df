import { z } from 'zod';

/** Ordered from most to least urgent. */
export const severities = ['critical', 'major', 'minor', 'warning', 'info'] as const;
export const Severity = z.enum(severities);
export type Severity = z.infer<typeof Severity>;
export const severityRank = (severity: Severity): number => severities.indexOf(severity);
