const byOwner = new WeakMap<object, Map<string, unknown>>();

/**
 * The one instance of `name` belonging to `owner` (the process's ports), created on first use: state
 * every subscriber of a process shares, such as caches and per-organization watchers, without module
 * globals that would mix two servers in one process (tests run several).
 */
export const processShared = <T>(owner: object, name: string, create: () => T): T => {
  let shared = byOwner.get(owner);
  if (!shared) {
    shared = new Map();
    byOwner.set(owner, shared);
  }
  if (!shared.has(name)) shared.set(name, create());
  return shared.get(name) as T;
};
