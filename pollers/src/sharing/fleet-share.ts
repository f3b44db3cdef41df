/**
 * Which devices this poller process probes. Replicated pollers split the fleet between them; the
 * scheduling side asks `owns` for every device it learns of and re-asks for all of them whenever
 * `onChange` fires, so a device picked up or dropped after a rebalance needs no restart.
 */
export interface FleetShare {
  owns(deviceId: string): boolean;
  /** Calls `listener` after ownership changed; returns a function that stops the calls. */
  onChange(listener: () => void): () => void;
}

/** A poller that runs alone (no Kafka): it owns every device. */
export const wholeFleet: FleetShare = {
  owns: () => true,
  onChange: () => () => {},
};
