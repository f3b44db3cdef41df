/** Structural equality for the JSON-like values events carry (primitives, arrays, plain objects). */
export const deepEqual = (a: unknown, b: unknown): boolean => {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => deepEqual(item, b[index]))
    );
  }
  const aKeys = Object.keys(a).filter((key) => Reflect.get(a, key) !== undefined);
  const bKeys = Object.keys(b).filter((key) => Reflect.get(b, key) !== undefined);
  return (
    aKeys.length === bKeys.length &&
    aKeys.every((key) => Object.hasOwn(b, key) && deepEqual(Reflect.get(a, key), Reflect.get(b, key)))
  );
};

/**
 * The entries of `changes` whose value differs from `current`: "changed" events carry only real
 * changes, so a no-op edit records nothing. Keys unknown to `current` are ignored.
 */
export const changedFields = <T extends object>(current: T, changes: Partial<T>): Partial<T> => {
  const diff: Partial<T> = {};
  for (const key of Object.keys(current) as (keyof T)[]) {
    const value = changes[key];
    if (value !== undefined && !deepEqual(value, current[key])) diff[key] = value;
  }
  return diff;
};

export const isEmptyObject = (value: object): boolean => Object.keys(value).length === 0;
