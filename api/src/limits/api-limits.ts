/** Bounds every operation must stay within; infra fills them from the API configuration. */
export type ApiLimits = Readonly<{
  maxDepth: number;
  maxCost: number;
  maxPageSize: number;
  /** Messages a subscriber may fall behind before its subscription is closed. */
  subscriptionQueueLimit: number;
}>;
