import { describe, expect, it } from 'vitest';
import { type StickyMember, stickyAssignment } from './sticky-assignment.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const asObject = (assignment: Map<string, number[]>) => Object.fromEntries(assignment);

/** Every partition once, shares within one of each other. */
const expectBalanced = (assignment: Map<string, number[]>, partitions: number) => {
  const all = [...assignment.values()].flat().sort((a, b) => a - b);
  expect(all).toEqual(range(partitions));
  const sizes = [...assignment.values()].map((owned) => owned.length);
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
};

describe('sticky assignment', () => {
  it('given no history, splits the partitions evenly', () => {
    const assignment = stickyAssignment(
      [
        { id: 'b', owned: [] },
        { id: 'a', owned: [] },
      ],
      range(12),
    );
    expect(asObject(assignment)).toEqual({ a: range(6), b: range(12).slice(6) });
  });

  it('when a member joins, the others give up only what it needs and keep the rest', () => {
    const before: StickyMember[] = [
      { id: 'a', owned: [0, 2, 4, 6, 8, 10] },
      { id: 'b', owned: [1, 3, 5, 7, 9, 11] },
    ];
    const assignment = stickyAssignment([...before, { id: 'c', owned: [] }], range(12));
    expectBalanced(assignment, 12);
    for (const member of before) {
      const now = assignment.get(member.id)!;
      expect(now).toHaveLength(4);
      expect(now.every((partition) => member.owned.includes(partition))).toBe(true);
    }
    expect(assignment.get('c')).toHaveLength(4);
  });

  it('when a member leaves, its partitions go to the others, who keep all of theirs', () => {
    const assignment = stickyAssignment(
      [
        { id: 'a', owned: [0, 3, 6, 9] },
        { id: 'b', owned: [1, 4, 7, 10] },
      ],
      range(12),
    );
    expectBalanced(assignment, 12);
    expect(assignment.get('a')).toEqual(expect.arrayContaining([0, 3, 6, 9]));
    expect(assignment.get('b')).toEqual(expect.arrayContaining([1, 4, 7, 10]));
  });

  it('gives a partition two members claim to one of them, and forgets partitions the topic lost', () => {
    const assignment = stickyAssignment(
      [
        { id: 'a', owned: [0, 1, 2, 7, 8] },
        { id: 'b', owned: [2, 3] },
      ],
      range(6),
    );
    expectBalanced(assignment, 6);
    expect(asObject(assignment)).toEqual({ a: [0, 1, 2], b: [3, 4, 5] });
  });

  it('answers the same whatever order the members come in', () => {
    const members: StickyMember[] = [
      { id: 'x', owned: [5] },
      { id: 'y', owned: [] },
      { id: 'z', owned: [1, 2] },
    ];
    const forwards = asObject(stickyAssignment(members, range(7)));
    expect(asObject(stickyAssignment([...members].reverse(), range(7)))).toEqual(forwards);
    expectBalanced(stickyAssignment(members, range(7)), 7);
  });

  it('leaves a member without partitions when there are more members than partitions', () => {
    const assignment = stickyAssignment(
      [
        { id: 'a', owned: [0] },
        { id: 'b', owned: [] },
        { id: 'c', owned: [1] },
      ],
      range(2),
    );
    expect(asObject(assignment)).toEqual({ a: [0], b: [], c: [1] });
  });
});
