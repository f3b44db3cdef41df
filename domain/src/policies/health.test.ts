import { describe, expect, it } from 'vitest';
import type { HealthStatus } from '../device/events.js';
import { evaluateHealth, type HealthInput, judgeObservation, type Observation } from './health.js';
import { defaultHealthThresholds, HealthThresholds } from './health-thresholds.js';

const T0 = Date.parse('2025-06-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** One ICMP observation every 30 s: `ok`, `slow` (rtt), `lossy` (loss) or `fail`. */
const observe = (kind: 'ok' | 'slow' | 'lossy' | 'fail', index: number): Observation => ({
  deviceId: 'dev-1',
  pollerId: 'poller-1',
  probe: 'icmp',
  scheduledAt: at(index * 30),
  observedAt: at(index * 30),
  durationMs: 10,
  reachable: kind !== 'fail',
  error: kind === 'fail' ? { code: 'TIMEOUT', message: 'no reply' } : null,
  icmp:
    kind === 'fail'
      ? { sent: 3, received: 0, lossPct: 100, rttMinMs: null, rttAvgMs: null, rttMaxMs: null, jitterMs: null }
      : {
          sent: 3,
          received: kind === 'lossy' ? 2 : 3,
          lossPct: kind === 'lossy' ? 33.3 : 0,
          rttMinMs: 1,
          rttAvgMs: kind === 'slow' ? 900 : 2,
          rttMaxMs: 3,
          jitterMs: 0,
        },
  tcp: null,
  snmp: null,
});

type Given = Partial<Omit<HealthInput, 'recent'>>;

/** Given the device's state, when these observations arrive (oldest first), then this decision. */
const given = (state: Given = {}) => ({
  when: (...kinds: Array<'ok' | 'slow' | 'lossy' | 'fail'>) => {
    const decide = () =>
      evaluateHealth({
        current: 'up',
        lastChangedAt: null,
        parentHealth: null,
        thresholds: defaultHealthThresholds,
        ...state,
        recent: kinds.map(observe),
      });
    return {
      thenStatus: (to: HealthStatus) => expect(decide()?.to).toBe(to),
      thenNothing: () => expect(decide()).toBeNull(),
      decision: decide,
    };
  },
});

describe('judging one observation', () => {
  it('calls a failed probe down and a slow or lossy answer degraded', () => {
    expect(judgeObservation(observe('fail', 0), defaultHealthThresholds).health).toBe('down');
    expect(judgeObservation(observe('slow', 0), defaultHealthThresholds).health).toBe('degraded');
    expect(judgeObservation(observe('lossy', 0), defaultHealthThresholds).health).toBe('degraded');
    expect(judgeObservation(observe('ok', 0), defaultHealthThresholds).health).toBe('up');
  });
});

describe('thresholds', () => {
  it('declares a new device up on its first answer', () => {
    given({ current: 'unknown' }).when('ok').thenStatus('up');
  });

  it('waits for the configured number of consecutive failures before down', () => {
    given().when('ok', 'fail', 'fail').thenNothing();
    given().when('ok', 'fail', 'fail', 'fail').thenStatus('down');
    given().when('fail', 'ok', 'fail', 'fail').thenNothing();
  });

  it('counts what the configuration says', () => {
    const thresholds = HealthThresholds.parse({ failuresToDown: 1 });
    given({ thresholds }).when('ok', 'fail').thenStatus('down');
  });

  it('degrades on loss or round trip after consecutive samples', () => {
    given().when('ok', 'slow').thenNothing();
    given().when('slow', 'slow').thenStatus('degraded');
    given().when('lossy', 'lossy').thenStatus('degraded');
    const strict = HealthThresholds.parse({ rttDegradedMs: 1 });
    given({ thresholds: strict }).when('ok', 'ok').thenStatus('degraded');
  });

  it('recovers after consecutive good samples', () => {
    given({ current: 'down' }).when('fail', 'ok').thenNothing();
    given({ current: 'down' }).when('fail', 'ok', 'ok').thenStatus('up');
    given({ current: 'down' }).when('fail', 'slow', 'slow').thenStatus('degraded');
  });

  it('says why', () => {
    expect(given().when('fail', 'fail', 'fail').decision()?.reason).toBe(
      '3 consecutive failures (icmp TIMEOUT)',
    );
  });

  it('changes nothing when the status stays the same', () => {
    given({ current: 'down' }).when('fail', 'fail', 'fail').thenNothing();
  });
});

describe('dependencies', () => {
  it('makes a failing child of a down parent unreachable, not down', () => {
    given({ parentHealth: 'down' }).when('fail', 'fail', 'fail').thenStatus('unreachable');
    given({ parentHealth: 'unreachable' }).when('fail', 'fail', 'fail').thenStatus('unreachable');
  });

  it('reclassifies as the parent goes down or comes back', () => {
    given({ current: 'down', parentHealth: 'down' }).when('fail', 'fail', 'fail').thenStatus('unreachable');
    given({ current: 'unreachable', parentHealth: 'up' }).when('fail', 'fail', 'fail').thenStatus('down');
  });

  it('lets an answering child be up whatever its parent', () => {
    given({ current: 'unreachable', parentHealth: 'down' }).when('ok', 'ok').thenStatus('up');
  });
});

describe('flap damping', () => {
  it('holds a recovery that comes too soon after the last transition', () => {
    // Went down at observation 0; observations 1 and 2 answer, 60 s later: within the 120 s hold.
    given({ current: 'down', lastChangedAt: new Date(at(0)) })
      .when('fail', 'ok', 'ok')
      .thenNothing();
  });

  it('lets the recovery through once the hold has passed', () => {
    given({ current: 'down', lastChangedAt: new Date(at(0)) })
      .when('fail', 'fail', 'fail', 'ok', 'ok')
      .thenStatus('up');
  });

  it('never holds bad news', () => {
    given({ current: 'up', lastChangedAt: new Date(at(0)) })
      .when('fail', 'fail', 'fail')
      .thenStatus('down');
  });

  it('is off with a zero hold', () => {
    const thresholds = HealthThresholds.parse({ flapHoldSeconds: 0 });
    given({ current: 'down', lastChangedAt: new Date(at(0)), thresholds })
      .when('fail', 'ok', 'ok')
      .thenStatus('up');
  });
});
