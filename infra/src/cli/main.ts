#!/usr/bin/env node
import cluster from 'node:cluster';
import { ConfigError, loadConfig } from '../config/config.js';
import { createLogger } from '../runtime/logger.js';
import { migrateCommand } from './migrate.js';
import { projectionsCommand } from './projections.js';
import { type RoleName, roleNames, startCommand } from './start.js';

const usage = `usage: netpulse <command> [options]

commands:
  start [--demo]   run every role in one process (embedded PostgreSQL when DATABASE_URL is unset)
  api | poller | reactor | projector [--demo]
                   run one role alone (distributed deployments replicate each)
  migrate          apply database migrations and exit
  projections status | rebuild <name|all>
                   read-model versions, checkpoints and lag; blue-green rebuild of a projection
  help             this text

configuration comes from environment variables; see README.md "Configuration".`;

const main = async (argv: readonly string[]): Promise<number> => {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(usage);
    return command ? 0 : 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  // A worker forked by `api` / `start` with API_WORKERS > 1 (it inherits their arguments): the API only.
  if (cluster.isWorker)
    return startCommand(config, logger.child({ apiWorker: cluster.worker?.id }), {
      roles: new Set<RoleName>(['api']),
      demo: false,
      apiWorker: true,
    });
  switch (command) {
    case 'start':
      return startCommand(config, logger, {
        roles: new Set(roleNames),
        demo: args.includes('--demo') || config.NETPULSE_DEMO,
      });
    case 'api':
    case 'poller':
    case 'reactor':
    case 'projector':
      return startCommand(config, logger, {
        roles: new Set<RoleName>([command]),
        demo: args.includes('--demo') || config.NETPULSE_DEMO,
      });
    case 'migrate':
      return migrateCommand(config, logger);
    case 'projections':
      return projectionsCommand(config, logger, args);
    default:
      console.error(`unknown command: ${command}\n\n${usage}`);
      return 2;
  }
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
