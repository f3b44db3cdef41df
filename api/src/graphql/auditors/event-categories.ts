import { streamCategories } from '@netpulse/domain';
import { invalidInput } from '../api-error.js';

/** The names clients may filter on, spelled as the schema documents them, and the store's own. */
const aliases: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.values(streamCategories).map((category) => [category, category])),
  'alert-rule': streamCategories.alertRule,
};

export const knownCategories = (): readonly string[] => Object.keys(aliases);

/** The store's category names for a filter; an unknown name is a client error, not an empty page. */
export const storeCategories = (names: readonly string[]): string[] => [
  ...new Set(
    names.map((name) => {
      const category = aliases[name];
      if (!category) throw invalidInput(`unknown stream category: ${name}`, { known: knownCategories() });
      return category;
    }),
  ),
];
