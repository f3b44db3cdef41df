import { Gauge, type Registry } from 'prom-client';

const NAME = 'netpulse_poller_owned_devices';

/** How many devices this process owns; across replicas the values add up to the fleet. */
export const ownedDevicesGauge = (registry: Registry): Gauge =>
  (registry.getSingleMetric(NAME) as Gauge | undefined) ??
  new Gauge({
    name: NAME,
    help: 'Devices this poller process owns (its share of the fleet), paused ones included.',
    registers: [registry],
  });
