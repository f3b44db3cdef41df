/**
 * `pacedLoad` in a child process of its own. An open-loop client charges every delay of its own to
 * the requests it holds up, so its stalls read as the server's latency. In the benchmark's process,
 * which holds the seeded fleet and the earlier phases, the client's event loop stalled up to 25 ms;
 * in a process of its own 6.5–16 ms at most, what two shared cores leave (`clientDelayMaxMs`).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type PacedLoadResult, pacedLoad } from './paced-load.ts';

export type PacedGraphqlLoad = Readonly<{
  url: string;
  headers: Readonly<Record<string, string>>;
  query: string;
  /** Each request asks for one of these at random as `$id`; none: no variables. */
  ids?: readonly string[];
  rate: number;
  seconds: number;
  connections: number;
}>;

const bodyOf = (load: PacedGraphqlLoad) => () =>
  JSON.stringify({
    query: load.query,
    variables: load.ids ? { id: load.ids[Math.floor(Math.random() * load.ids.length)] } : {},
  });

/** Runs the load in a child process and returns what it measured. */
export const pacedLoadInChild = async (load: PacedGraphqlLoad): Promise<PacedLoadResult> => {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx', '--conditions=source'],
  });
  const exited = once(child, 'exit');
  child.send(load);
  const [result] = (await Promise.race([
    once(child, 'message'),
    exited.then(([code]) => {
      throw new Error(`the paced load's process exited (${code}) without a result`);
    }),
  ])) as [PacedLoadResult];
  await exited;
  return result;
};

if (process.send) {
  process.once('message', async (load: PacedGraphqlLoad) => {
    const result = await pacedLoad({
      url: load.url,
      headers: load.headers,
      body: bodyOf(load),
      rate: load.rate,
      seconds: load.seconds,
      connections: load.connections,
      verify: (body) => !body.includes('"errors"'),
    });
    process.send?.(result, () => process.exit(0));
  });
}
