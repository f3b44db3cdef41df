/** Loads the values of many keys in one round trip; keys it has no value for are simply absent. */
export type BatchLoad<K, V> = (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>;

export type BatchLoader<K, V> = Readonly<{ load: (key: K) => Promise<V | undefined> }>;

/**
 * DataLoader's idea in a few lines: every `load` made while GraphQL resolves one level of a list is
 * collected and sent as one batch, and each key is fetched at most once per loader (per request).
 * The batch is dispatched after the current promise jobs settle, which is when graphql-js has called
 * the resolvers of every item of the list.
 */
export const createBatchLoader = <K, V>(batch: BatchLoad<K, V>, maxBatchSize = 500): BatchLoader<K, V> => {
  const cache = new Map<K, Promise<V | undefined>>();
  let queue: { key: K; resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[] = [];

  const dispatch = () => {
    const pending = queue;
    queue = [];
    for (let start = 0; start < pending.length; start += maxBatchSize) {
      const slice = pending.slice(start, start + maxBatchSize);
      batch(slice.map((item) => item.key)).then(
        (values) => {
          for (const item of slice) item.resolve(values.get(item.key));
        },
        (error: unknown) => {
          // A failed batch must not stay cached: the next request for these keys tries again.
          for (const item of slice) {
            cache.delete(item.key);
            item.reject(error);
          }
        },
      );
    }
  };

  return {
    load: (key) => {
      const cached = cache.get(key);
      if (cached) return cached;
      const promise = new Promise<V | undefined>((resolve, reject) => {
        if (queue.length === 0) Promise.resolve().then(() => process.nextTick(dispatch));
        queue.push({ key, resolve, reject });
      });
      cache.set(key, promise);
      return promise;
    },
  };
};
