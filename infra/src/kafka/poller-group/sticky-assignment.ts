/** A group member as the leader sees it: its id and the partitions it owned until this rebalance. */
export type StickyMember = Readonly<{ id: string; owned: readonly number[] }>;

/**
 * Splits `partitions` among `members` as evenly as possible (shares differ by one at most) while
 * moving as few as possible: each member keeps what it owned up to its share, and only the rest
 * is handed out. A poller that keeps a partition keeps probing its devices on the same cadence;
 * a moved partition costs its devices a gap or a doubled probe while two pollers change hands, so
 * a new member should take partitions from the others, not reshuffle all of them as round robin
 * does. Pure and deterministic: every possible leader computes the same answer from the same input.
 */
export const stickyAssignment = (
  members: readonly StickyMember[],
  partitions: readonly number[],
): Map<string, number[]> => {
  const assignment = new Map<string, number[]>();
  if (members.length === 0) return assignment;
  const exists = new Set(partitions);
  // Members that owned more come first, so the larger shares go where the least has to move.
  const ordered = [...members].sort(
    (a, b) => b.owned.length - a.owned.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const base = Math.floor(partitions.length / members.length);
  const larger = partitions.length % members.length;
  const share = new Map(ordered.map((member, index) => [member.id, base + (index < larger ? 1 : 0)]));
  const taken = new Set<number>();
  for (const member of ordered) {
    const kept: number[] = [];
    for (const partition of [...member.owned].sort((a, b) => a - b)) {
      if (kept.length >= share.get(member.id)! || !exists.has(partition) || taken.has(partition)) continue;
      kept.push(partition);
      taken.add(partition);
    }
    assignment.set(member.id, kept);
  }
  const free = [...exists].filter((partition) => !taken.has(partition)).sort((a, b) => a - b);
  for (const member of ordered) {
    const mine = assignment.get(member.id)!;
    while (mine.length < share.get(member.id)! && free.length > 0) mine.push(free.shift()!);
    mine.sort((a, b) => a - b);
  }
  return assignment;
};
