import { describe, expect, it } from 'vitest';
import { Slots, settleAll } from './concurrency.js';

/** A task that records when it runs and finishes when told to. */
const gate = () => {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
};
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Slots', () => {
  it('given two slots, when four tasks ask, then two run and the others start in order as slots free', async () => {
    const slots = new Slots(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      slots.run(async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.open();
    gates[2]!.open();
    gates[3]!.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    // The slots are free again: a new task starts at once.
    const later = gate();
    const run = slots.run(async () => {
      started.push(4);
      await later.opened;
    });
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    later.open();
    await run;
  });

  it('given a full queue, when tasks of different priorities ask, then the lowest starts first, equals in order', async () => {
    const slots = new Slots(1);
    const running = gate();
    const started: string[] = [];
    const task = (name: string) => async () => {
      started.push(name);
      if (name === 'running') await running.opened;
    };
    const runs = [
      slots.run(task('running')),
      slots.run(task('1a'), 1),
      slots.run(task('1b'), 1),
      slots.run(task('0')),
      slots.run(task('-1'), -1),
    ];
    await tick();
    expect(started).toEqual(['running']);
    running.open();
    await Promise.all(runs);
    expect(started).toEqual(['running', '-1', '0', '1a', '1b']);
  });

  it('given a failed task, when queued tasks get their slot, then they do not run and reject with that failure', async () => {
    const slots = new Slots(1);
    const failing = gate();
    const ran: string[] = [];
    const first = slots.run(async () => {
      await failing.opened;
      throw new Error('statement failed');
    });
    const second = slots.run(async () => {
      ran.push('second');
    });
    failing.open();
    await expect(first).rejects.toThrow('statement failed');
    await expect(second).rejects.toThrow('statement failed');
    expect(ran).toEqual([]);
  });
});

describe('settleAll', () => {
  it('given a failure, when others still run, then it rejects only after they settle', async () => {
    const slow = gate();
    let slowDone = false;
    const outcome = settleAll([
      Promise.reject(new Error('first')),
      slow.opened.then(() => {
        slowDone = true;
      }),
    ]).catch((error: Error) => ({ error: error.message, slowDone }));
    await tick();
    slow.open();
    expect(await outcome).toEqual({ error: 'first', slowDone: true });
  });
});
