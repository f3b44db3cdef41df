import { type Checkpoint, START, validationFailed } from '@netpulse/domain';

/** A position in EventStoreDB's `$all` log: the commit and prepare positions of one event record. */
export type EsdbPosition = Readonly<{ commit: bigint; prepare: bigint }>;

/** `START` decoded: before the first event of `$all`. */
export const FROM_START = 'start' as const;
export type EsdbFrom = EsdbPosition | typeof FROM_START;

/** The token handed out as `Checkpoint`; the same `C:<commit>/P:<prepare>` notation ESDB tools print. */
export const encodeCheckpoint = (position: EsdbPosition): Checkpoint =>
  `C:${position.commit}/P:${position.prepare}`;

export const decodeCheckpoint = (checkpoint: Checkpoint | undefined): EsdbFrom => {
  if (checkpoint === undefined || checkpoint === START) return FROM_START;
  const match = /^C:(\d{1,20})\/P:(\d{1,20})$/.exec(checkpoint);
  if (!match) throw validationFailed(`not an EventStoreDB event store checkpoint: ${checkpoint}`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
};

/** Order of two `$all` positions: by commit position, then prepare position. */
export const comparePositions = (a: EsdbPosition, b: EsdbPosition): number => {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
};

/** True when `position` lies strictly after `from` (everything lies after the start). */
export const isAfter = (position: EsdbPosition, from: EsdbFrom): boolean =>
  from === FROM_START || comparePositions(position, from) > 0;

/** Order of two checkpoints in `$all`; START comes before every position. */
export const compareCheckpoints = (a: Checkpoint, b: Checkpoint): number => {
  const x = decodeCheckpoint(a);
  const y = decodeCheckpoint(b);
  if (x === FROM_START || y === FROM_START) return (x === FROM_START ? 0 : 1) - (y === FROM_START ? 0 : 1);
  return comparePositions(x, y);
};
