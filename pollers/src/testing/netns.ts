import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ip = (...args: string[]) => run('ip', args, { timeout: 10_000 });

/**
 * A network namespace joined to this one by a veth pair on a /30 of its own: a "remote host" the
 * tests can ping and then cut off. Traffic to it never leaves the machine: its /30 is a connected
 * route on the veth, which stays (flagged linkdown) when the far end's link goes down.
 */
export type TestNamespace = Readonly<{
  name: string;
  hostAddress: string;
  peerAddress: string;
  /** Throws unless traffic to the peer would go into this namespace's veth (checked before each probe). */
  assertContained(): Promise<void>;
  linkDown(): Promise<void>;
  linkUp(): Promise<void>;
  destroy(): Promise<void>;
}>;

/** Fails (so the test skips, or fails under CI) unless namespaces can be created here. */
export const checkNamespaces = async (): Promise<void> => {
  if (process.getuid?.() !== 0) throw new Error('network namespaces need root');
  await ip('netns', 'list');
  // With this set, a linkdown route is ignored and traffic could follow the default route out.
  const ignore = (await readFile('/proc/sys/net/ipv4/conf/all/ignore_routes_with_linkdown', 'utf8')).trim();
  if (ignore !== '0')
    throw new Error('net.ipv4.conf.all.ignore_routes_with_linkdown is set: refusing to cut links');
};

const routeInUse = async (address: string): Promise<boolean> => {
  const { stdout } = await ip('-4', 'route', 'show', 'to', 'match', address);
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .some((line) => line.length > 0 && !line.startsWith('default'));
};

export const createNamespace = async (): Promise<TestNamespace> => {
  const tag = randomBytes(3).toString('hex');
  const name = `np-test-${tag}`;
  const hostIf = `np${tag}a`;
  const peerIf = `np${tag}b`;
  let subnet = '';
  for (let attempt = 0; attempt < 20 && !subnet; attempt += 1) {
    const [a, b] = [randomBytes(1)[0]!, randomBytes(1)[0]! & 0xfc];
    const candidate = `10.213.${a}.${b}`;
    if (!(await routeInUse(`10.213.${a}.${b + 2}`))) subnet = candidate;
  }
  if (!subnet) throw new Error('no free 10.213.x.y/30 for a test namespace');
  const base = subnet.split('.').map(Number);
  const hostAddress = `${base[0]}.${base[1]}.${base[2]}.${base[3]! + 1}`;
  const peerAddress = `${base[0]}.${base[1]}.${base[2]}.${base[3]! + 2}`;
  const destroy = async () => {
    // Deleting the namespace deletes both veth ends and, with them, the route.
    await ip('netns', 'delete', name).catch(() => undefined);
    await ip('link', 'delete', hostIf).catch(() => undefined);
  };
  try {
    await ip('netns', 'add', name);
    await ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', peerIf, 'netns', name);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostIf);
    await ip('link', 'set', hostIf, 'up');
    await ip('netns', 'exec', name, 'ip', 'addr', 'add', `${peerAddress}/30`, 'dev', peerIf);
    await ip('netns', 'exec', name, 'ip', 'link', 'set', peerIf, 'up');
    await ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (error) {
    await destroy();
    throw error;
  }
  return {
    name,
    hostAddress,
    peerAddress,
    assertContained: async () => {
      const { stdout } = await ip('-4', 'route', 'get', peerAddress);
      if (!new RegExp(`\\bdev ${hostIf}\\b`).test(stdout)) {
        throw new Error(`traffic to ${peerAddress} would not stay on ${hostIf}: ${stdout.trim()}`);
      }
    },
    // Only the far end goes down: the host side keeps its connected route (see above).
    linkDown: async () => {
      await ip('netns', 'exec', name, 'ip', 'link', 'set', peerIf, 'down');
    },
    linkUp: async () => {
      await ip('netns', 'exec', name, 'ip', 'link', 'set', peerIf, 'up');
    },
    destroy,
  };
};
