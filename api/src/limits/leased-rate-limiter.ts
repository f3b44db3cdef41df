import type { RateLimiter, RateVerdict } from './rate-limiter.js';

/** What a shared budget answered to a take: requests granted and the window they belong to. */
export type BudgetGrant = Readonly<{
  granted: number;
  /** Milliseconds until the key's window closes, as the budget saw it. */
  windowLeftMs: number;
  /** Names the window the grant came from, so unused requests go back to it and no other. */
  windowId: number;
}>;

/**
 * A key's per-window budget kept where every API process sees it (Redis). `need` requests are
 * waiting now and must be granted while the window has room; `extra` is a look-ahead the budget
 * grants only while the window is far from spent, so that near the limit the count stays exact.
 */
export interface SharedRateBudget {
  take(key: string, need: number, extra: number): Promise<BudgetGrant>;
  /** Returns requests taken but not used, if `windowId` is still the key's window. */
  giveBack(key: string, unused: number, windowId: number): Promise<void>;
}

export type LeasedRateLimiterOptions = Readonly<{
  budget: SharedRateBudget;
  /** Answers while the budget cannot (Redis down): limited per process rather than not at all. */
  fallback: RateLimiter;
  /** How long a process keeps requests it took ahead before handing the rest back. */
  leaseMs?: number;
  /** The most requests taken ahead at once. */
  maxLookAhead?: number;
  /** Keys remembered between requests (their look-ahead); idle ones are forgotten past this. */
  maxKeys?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}>;

type Lease = {
  tokens: number;
  size: number;
  expiresAt: number;
  windowId: number;
  timer: ReturnType<typeof setTimeout>;
};

type Taking = Promise<BudgetGrant | Error>;

type KeyState = {
  lease: Lease | null;
  taking: Taking | null;
  /** Requests of this process waiting for the key's next grant. */
  waiting: number;
  /** Look-ahead to ask for next: grows while leases run out before they expire. */
  lookAhead: number;
  /** When the last lease ran out: a key quiet since then asks for no look-ahead. */
  ranOutAt: number;
};

const allowed: RateVerdict = Object.freeze({ allowed: true, retryAfterSeconds: 0 });

/**
 * A rate limiter over a shared budget that does not ask the budget for every request. A busy key
 * takes a few requests ahead (a lease) and spends them locally, so one round trip serves many
 * requests; requests that arrive together are asked for in one take. The budget counts every
 * request before it is allowed, so no process ever allows more than the shared limit; what a
 * lease did not use goes back to its window when the lease ends, and near the limit the budget
 * grants no look-ahead, so the count is exact where it decides anything.
 */
export const createLeasedRateLimiter = (options: LeasedRateLimiterOptions): RateLimiter => {
  const now = options.now ?? Date.now;
  const leaseMs = options.leaseMs ?? 1_000;
  const maxLookAhead = options.maxLookAhead ?? 256;
  const maxKeys = options.maxKeys ?? 100_000;
  const keys = new Map<string, KeyState>();

  const handBack = (key: string, lease: Lease) => {
    clearTimeout(lease.timer);
    if (lease.tokens <= 0) return;
    const unused = lease.tokens;
    lease.tokens = 0;
    options.budget.giveBack(key, unused, lease.windowId).catch((error: unknown) => options.onError?.(error));
  };

  const endLease = (key: string, state: KeyState, lease: Lease) => {
    if (state.lease !== lease) return;
    state.lease = null;
    // Left over: this key asks for less than it took; the next lease asks for what this one used.
    if (lease.tokens > 0) state.lookAhead = Math.max(0, Math.min(state.lookAhead, lease.size - lease.tokens));
    handBack(key, lease);
  };

  const take = (key: string, state: KeyState): Taking => {
    const askedAt = now();
    const extra = askedAt - state.ranOutAt <= leaseMs ? state.lookAhead : 0;
    const taking: Taking = options.budget.take(key, state.waiting, extra).then(
      (grant) => {
        state.taking = null;
        if (grant.granted > 0) {
          if (state.lease) endLease(key, state, state.lease);
          // Never past the window: a lease from an old window would spend the next one's budget.
          const lifetime = Math.min(leaseMs, grant.windowLeftMs);
          const lease: Lease = {
            tokens: grant.granted,
            size: grant.granted,
            expiresAt: askedAt + lifetime,
            windowId: grant.windowId,
            timer: setTimeout(() => endLease(key, state, lease), lifetime),
          };
          lease.timer.unref?.();
          state.lease = lease;
        }
        return grant;
      },
      (error: unknown) => {
        state.taking = null;
        return error instanceof Error ? error : new Error(String(error));
      },
    );
    state.taking = taking;
    return taking;
  };

  /** Keys stay between leases (a busy key keeps its look-ahead); past `maxKeys` the idle ones go. */
  const forgetIdle = () => {
    for (const [key, state] of keys)
      if (!state.lease && !state.taking && state.waiting === 0) keys.delete(key);
  };

  const spend = (key: string, state: KeyState): boolean => {
    const lease = state.lease;
    if (!lease) return false;
    if (now() >= lease.expiresAt) {
      endLease(key, state, lease);
      return false;
    }
    if (lease.tokens <= 0) return false;
    lease.tokens -= 1;
    if (lease.tokens === 0) {
      // Spent before it expired: this key is busier than the lease; ask further ahead next time.
      state.lookAhead = Math.min(maxLookAhead, Math.max(1, 2 * lease.size));
      state.ranOutAt = now();
      clearTimeout(lease.timer);
      state.lease = null;
    }
    return true;
  };

  return {
    consume: async (key: string): Promise<RateVerdict> => {
      let state = keys.get(key);
      if (!state) {
        if (keys.size >= maxKeys) forgetIdle();
        state = { lease: null, taking: null, waiting: 0, lookAhead: 0, ranOutAt: 0 };
        keys.set(key, state);
      }
      if (spend(key, state)) return allowed;
      state.waiting += 1;
      try {
        for (;;) {
          const outcome = await (state.taking ?? take(key, state));
          if (outcome instanceof Error) {
            options.onError?.(outcome);
            return options.fallback.consume(key);
          }
          if (spend(key, state)) return allowed;
          if (outcome.granted === 0)
            return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(outcome.windowLeftMs / 1000)) };
          // Others waiting with this request spent the grant first: ask again.
        }
      } finally {
        state.waiting -= 1;
      }
    },
  };
};
