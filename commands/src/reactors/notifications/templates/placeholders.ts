/** The `{{name}}` values a subject or text template may use; all describe the whole notification. */
export const placeholderNames = [
  'status',
  'count',
  'severity',
  'summary',
  'device',
  'organization',
  'condition',
  'receiver',
] as const;
export type PlaceholderName = (typeof placeholderNames)[number];
export type PlaceholderValues = Readonly<Record<PlaceholderName, string>>;

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
const known: ReadonlySet<string> = new Set(placeholderNames);

/** Names a template uses that do not exist, so a typo fails at start-up rather than in a message. */
export const unknownPlaceholders = (template: string): string[] =>
  [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!).filter((name) => !known.has(name));

/** Substitutes once, left to right: values are never themselves read as templates. */
export const renderPlaceholders = (template: string, values: PlaceholderValues): string =>
  template.replace(PLACEHOLDER, (whole, name: string) =>
    known.has(name) ? values[name as PlaceholderName] : whole,
  );
