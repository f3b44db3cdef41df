import { type BatchLoad, type BatchLoader, createBatchLoader } from './batch-loader.js';

const byRequest = new WeakMap<object, Map<string, BatchLoader<unknown, unknown>>>();

/**
 * The loader named `name` of one request, created on first use. Keyed by the request's context
 * object, so batches and caches never mix requests (nor callers, nor organizations).
 */
export const requestLoader = <K, V>(
  context: object,
  name: string,
  batch: BatchLoad<K, V>,
): BatchLoader<K, V> => {
  let loaders = byRequest.get(context);
  if (!loaders) {
    loaders = new Map();
    byRequest.set(context, loaders);
  }
  let loader = loaders.get(name);
  if (!loader) {
    loader = createBatchLoader(batch) as BatchLoader<unknown, unknown>;
    loaders.set(name, loader);
  }
  return loader as BatchLoader<K, V>;
};

/**
 * Drops the loaders (and what they cached) of `context`. A subscription keeps one context for as
 * long as it is open and resolves every event with it: its loaders are dropped before each event,
 * so a device or alert loaded for one event is never shown, stale, with the next.
 */
export const forgetRequestLoaders = (context: object): void => {
  byRequest.delete(context);
};
