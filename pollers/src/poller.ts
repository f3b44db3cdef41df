import type { Clock, EventStore, Subscription } from '@netpulse/domain';
import type { Registry } from 'prom-client';
import type { PollerConfig } from './config.js';
import { CredentialStore } from './credentials/credential-store.js';
import { ObservationEmitter } from './emitter/emitter.js';
import { observationEvent, trapEvent } from './emitter/observation-event.js';
import { errorSummary, type Logger } from './logger.js';
import { createPollerMetrics, type PollerMetrics } from './metrics.js';
import { IcmpProber } from './probes/icmp/icmp-prober.js';
import { elapsedMs, failedOutcome, type ProbeOutcome } from './probes/outcome.js';
import { SnmpProber } from './probes/snmp/snmp-prober.js';
import { tcpProbe } from './probes/tcp/tcp-probe.js';
import { Limiter } from './scheduler/limiter.js';
import type { ProbeJobSpec } from './scheduler/probe-job.js';
import { type RunResult, Scheduler } from './scheduler/scheduler.js';
import type { Timers } from './scheduler/timers.js';
import { type FleetShare, wholeFleet } from './sharing/fleet-share.js';
import { OwnedFleet } from './sharing/owned-fleet.js';
import { ownedDevicesGauge } from './sharing/share-metrics.js';
import { followDevices } from './targets/device-follower.js';
import type { DeviceTarget, TargetChange } from './targets/device-target.js';
import { TargetSet } from './targets/target-set.js';
import type { MappedTrap } from './traps/trap-mapping.js';
import { TrapReceiver } from './traps/trap-receiver.js';

export type PollerDeps = Readonly<{
  store: EventStore;
  config: PollerConfig;
  logger: Logger;
  registry: Registry;
  clock: Clock;
  timers?: Timers;
  /** Which devices this process probes when pollers are replicated; default: all of them. */
  fleetShare?: FleetShare;
}>;

export type PollerStatus = Readonly<{
  pollerId: string;
  devices: number;
  /** Devices this process owns (all of `devices` unless the fleet is shared between pollers). */
  ownedDevices: number;
  scheduledProbes: number;
  probesInFlight: number;
  icmpMode: 'ping' | 'fping';
  fpingAvailable: boolean;
  trapPort: number | null;
  bufferDepth: number;
}>;

export interface Poller {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): PollerStatus;
}

/**
 * The poller role: follows device events, probes every monitored device on its schedule, receives
 * traps, and appends what it saw. Everything it needs comes in as ports; nothing here knows which
 * event store is running.
 */
export const createPoller = (deps: PollerDeps): Poller => {
  const { store, config, logger, clock } = deps;
  const metrics: PollerMetrics = createPollerMetrics(deps.registry);
  const credentials = new CredentialStore(config.credentials);
  const redact = (text: string) => credentials.redactor.redact(text);
  const limiter = new Limiter(config.concurrency);
  const targets = new TargetSet();
  const icmp = new IcmpProber({ limiter, ...config.icmp });
  const snmpProber = new SnmpProber({ credentials, limiter });
  const emitter = new ObservationEmitter({
    store,
    logger,
    metrics,
    ...config.buffer,
    ...(deps.timers && { timers: deps.timers }),
  });

  const runProbe = async (job: ProbeJobSpec, target: DeviceTarget): Promise<ProbeOutcome> => {
    const { probes, address } = target;
    switch (job.kind) {
      case 'icmp':
        return icmp.probe(address, probes.icmp);
      case 'snmp':
        if (!probes.snmp) return failedOutcome('PROBE_FAILED', 'SNMP is not configured', 0);
        return snmpProber.probe(target.deviceId, address, probes.snmp);
      case 'tcp': {
        const port = Number(job.probeKey.slice('tcp:'.length));
        if (!probes.tcp) return failedOutcome('PROBE_FAILED', 'TCP is not configured', 0);
        return limiter.run(() => tcpProbe(address, { port, timeoutMs: probes.tcp!.timeoutMs }));
      }
    }
  };

  const run = async (job: ProbeJobSpec, target: DeviceTarget, scheduledAtMs: number): Promise<RunResult> => {
    const started = performance.now();
    let outcome: ProbeOutcome;
    try {
      outcome = await runProbe(job, target);
    } catch (error) {
      // Probes report failures as outcomes; reaching this is a bug, recorded rather than thrown.
      const message = redact(error instanceof Error ? error.message : String(error)).slice(0, 200);
      outcome = failedOutcome('PROBE_FAILED', `probe crashed: ${message}`, elapsedMs(started));
    }
    metrics.probes.inc({ probe: job.kind, result: outcome.error ? outcome.error.code.toLowerCase() : 'ok' });
    metrics.probeDuration.observe({ probe: job.kind }, outcome.durationMs / 1000);
    emitter.emit(
      observationEvent({
        pollerId: config.pollerId,
        target,
        probeKey: job.probeKey,
        kind: job.kind,
        scheduledAt: new Date(scheduledAtMs),
        observedAt: clock.now(),
        outcome,
      }),
    );
    return { failed: !outcome.reachable };
  };

  const scheduler = new Scheduler({
    clock,
    ...(deps.timers && { timers: deps.timers }),
    fastRepoll: {
      intervalMs: config.fastRepoll.intervalSeconds * 1000,
      windowMs: config.fastRepoll.windowSeconds * 1000,
    },
    run,
    onSkipped: (job) => metrics.skipped.inc({ probe: job.kind }),
    onRunError: (job, error) =>
      logger.error(
        {
          deviceId: job.deviceId,
          probe: job.probeKey,
          err: { message: redact(errorSummary(error).message) },
        },
        'poller: probe run failed',
      ),
  });

  const refreshFleetGauges = () => {
    const counts = scheduler.countByKind();
    for (const [probe, count] of Object.entries(counts)) metrics.targets.set({ probe }, count);
    const before = icmp.mode;
    icmp.setFleetSize(counts.icmp);
    metrics.icmpBatchMode.set(icmp.mode === 'fping' ? 1 : 0);
    if (icmp.mode !== before) {
      logger.info(
        { icmpTargets: counts.icmp, threshold: config.icmp.fpingThreshold, mode: icmp.mode },
        'poller: ICMP probing mode changed',
      );
    }
  };

  const share = deps.fleetShare ?? wholeFleet;
  const owned = new OwnedFleet({ share, fleet: targets, schedule: scheduler });
  const ownedGauge = ownedDevicesGauge(deps.registry);

  const onChanges = (changes: readonly TargetChange[]) => {
    for (const change of changes) {
      owned.apply(change);
      if (change.kind === 'remove') {
        snmpProber.forget(change.deviceId);
        logger.info({ deviceId: change.deviceId }, 'poller: device decommissioned, no longer probed');
      }
    }
    refreshFleetGauges();
    ownedGauge.set(owned.size);
  };

  const onShareChange = () => {
    const { pickedUp, dropped } = owned.reconcile();
    // Counter state of a device another poller now probes would be stale if it ever came back.
    for (const deviceId of dropped) snmpProber.forget(deviceId);
    refreshFleetGauges();
    ownedGauge.set(owned.size);
    logger.info(
      { pickedUp: pickedUp.length, dropped: dropped.length, ownedDevices: owned.size, devices: targets.size },
      'poller: share of the fleet changed',
    );
  };
  let stopFollowingShare: (() => void) | null = null;

  const trapOrganization = (): string => {
    if (config.traps.unknownSenderOrganizationId) return config.traps.unknownSenderOrganizationId;
    const organizations = targets.organizations();
    return organizations.size === 1 ? [...organizations][0]! : 'unassigned';
  };

  const onTrap = (mapped: MappedTrap) => {
    const target = targets.byAddress(mapped.trap.sourceAddress) ?? null;
    const pending = trapEvent({
      pollerId: config.pollerId,
      target,
      fallbackOrganizationId: trapOrganization(),
      requestId: mapped.requestId,
      trap: mapped.trap,
    });
    if (!pending) {
      metrics.traps.inc({ result: 'invalid' });
      logger.warn(
        { source: mapped.trap.sourceAddress },
        'poller: trap could not be recorded (invalid content)',
      );
      return;
    }
    metrics.traps.inc({ result: target ? 'recorded' : 'unknown_sender' });
    if (!target)
      logger.info(
        { source: mapped.trap.sourceAddress, trapOid: mapped.trap.trapOid },
        'poller: trap from an unknown address recorded',
      );
    emitter.emit(pending);
  };

  let lastRejectLogAt = 0;
  const traps = new TrapReceiver({
    port: config.traps.port,
    address: config.traps.address,
    acceptAnyCommunity: config.traps.acceptAnyCommunity,
    credentials,
    onTrap,
    onRejected: (reason, source) => {
      metrics.traps.inc({ result: reason === 'unauthorized' ? 'rejected' : reason });
      // Rejections can be a flood (a scan, a misconfigured agent): at most one line per 10 s.
      const now = Date.now();
      if (now - lastRejectLogAt < 10_000) return;
      lastRejectLogAt = now;
      logger.warn(
        { source, reason },
        'poller: SNMP notification rejected (community or user not configured, or undecodable)',
      );
    },
    now: () => clock.now(),
  });

  let subscription: Subscription | null = null;
  let started = false;

  return {
    async start() {
      if (started) return;
      started = true;
      const mode = await icmp.detect();
      if (!icmp.fpingUsable) {
        logger.warn(
          { fpingPath: config.icmp.fpingPath },
          'poller: fping not found; every ICMP probe will run its own ping',
        );
      }
      emitter.start();
      if (config.traps.enabled) {
        try {
          await traps.start();
          logger.info(
            { port: traps.boundPort(), address: config.traps.address },
            'poller: listening for SNMP traps',
          );
        } catch (error) {
          // Polling is still worth doing without traps; the failure is loud, not fatal.
          logger.error({ err: errorSummary(error) }, 'poller: trap receiver not started');
        }
      }
      scheduler.start();
      stopFollowingShare = share.onChange(onShareChange);
      subscription = followDevices({
        store,
        targets,
        logger,
        onChanges,
        onFirstCaughtUp: () => scheduler.markLive(),
      });
      logger.info(
        {
          pollerId: config.pollerId,
          concurrency: config.concurrency,
          icmpMode: mode,
          fpingThreshold: config.icmp.fpingThreshold,
        },
        'poller: started',
      );
    },

    async stop() {
      if (!started) return;
      started = false;
      stopFollowingShare?.();
      await subscription?.close();
      await scheduler.stop();
      await icmp.drain();
      await traps.stop();
      snmpProber.close();
      await emitter.stop();
      logger.info({ pollerId: config.pollerId }, 'poller: stopped');
    },

    status() {
      return {
        pollerId: config.pollerId,
        devices: targets.size,
        ownedDevices: owned.size,
        scheduledProbes: scheduler.size,
        probesInFlight: scheduler.inFlight,
        icmpMode: icmp.mode,
        fpingAvailable: icmp.fpingUsable,
        trapPort: traps.boundPort(),
        bufferDepth: emitter.depth,
      };
    },
  };
};
