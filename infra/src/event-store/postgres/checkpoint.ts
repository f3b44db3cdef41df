import { type Checkpoint, START, validationFailed } from '@netpulse/domain';

/** A position in the PostgreSQL log: the writing transaction's xid8, then the global position. */
export type PgPosition = Readonly<{ transactionId: bigint; globalPosition: bigint }>;

export const BEFORE_ALL: PgPosition = { transactionId: 0n, globalPosition: 0n };

export const encodeCheckpoint = (position: PgPosition): Checkpoint =>
  `${position.transactionId}:${position.globalPosition}`;

export const decodeCheckpoint = (checkpoint: Checkpoint | undefined): PgPosition => {
  if (checkpoint === undefined || checkpoint === START) return BEFORE_ALL;
  const match = /^(\d{1,20}):(\d{1,20})$/.exec(checkpoint);
  if (!match) throw validationFailed(`not a PostgreSQL event store checkpoint: ${checkpoint}`);
  return { transactionId: BigInt(match[1]!), globalPosition: BigInt(match[2]!) };
};

/** Order in the log: by transaction id, then global position; START decodes to before everything. */
export const compareCheckpoints = (a: Checkpoint, b: Checkpoint): number => {
  const x = decodeCheckpoint(a);
  const y = decodeCheckpoint(b);
  if (x.transactionId !== y.transactionId) return x.transactionId < y.transactionId ? -1 : 1;
  if (x.globalPosition !== y.globalPosition) return x.globalPosition < y.globalPosition ? -1 : 1;
  return 0;
};
