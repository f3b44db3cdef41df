import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import { stickyAssignment } from './sticky-assignment.js';

const NAME = 'NetPulseStickyAssigner';
const VERSION = 0;

/** What a member tells the leader it owns: topic → partitions, as JSON in its metadata's userData. */
type Owned = Record<string, number[]>;

const ownedOf = (userData: Buffer | undefined): Owned => {
  try {
    const parsed: unknown = JSON.parse(userData?.toString('utf8') || '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    const owned: Owned = {};
    for (const [topic, partitions] of Object.entries(parsed))
      if (Array.isArray(partitions))
        owned[topic] = partitions.filter((p): p is number => Number.isInteger(p));
    return owned;
  } catch {
    // A member that sent something else (another version) simply brings no history.
    return {};
  }
};

/**
 * A kafkajs partition assigner that keeps partitions where they were (see sticky-assignment.ts).
 * Each member joins with the partitions it owns now (`owned`); the leader, whichever member that
 * is, splits every subscribed topic with that history. Listed before round robin, so a group whose
 * members do not all offer it (during a rolling upgrade) falls back to round robin.
 */
export const stickyAssigner =
  (owned: () => Owned): PartitionAssigner =>
  ({ cluster }) => ({
    name: NAME,
    version: VERSION,
    async assign({ members, topics }) {
      const history = new Map(
        members.map((member) => [
          member.memberId,
          ownedOf(AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.userData),
        ]),
      );
      const assignment = new Map<string, Record<string, number[]>>(members.map((m) => [m.memberId, {}]));
      for (const topic of topics) {
        const partitions = cluster.findTopicPartitionMetadata(topic).map((meta) => meta.partitionId);
        const split = stickyAssignment(
          members.map((member) => ({
            id: member.memberId,
            owned: history.get(member.memberId)?.[topic] ?? [],
          })),
          partitions,
        );
        for (const [memberId, mine] of split) assignment.get(memberId)![topic] = mine;
      }
      return [...assignment].map(([memberId, topicPartitions]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: VERSION,
          assignment: topicPartitions,
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return {
        name: NAME,
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: VERSION,
          topics,
          userData: Buffer.from(JSON.stringify(owned())),
        }),
      };
    },
  });
