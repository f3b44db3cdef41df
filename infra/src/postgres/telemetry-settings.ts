/**
 * The PostgreSQL settings README.md ("PostgreSQL settings") recommends for a database that takes a
 * fleet's telemetry, as `-c` flags for the embedded PostgreSQL. PostgreSQL's own defaults (128 MB of
 * buffers, a checkpoint per 1 GB of WAL) made the projectors fall seconds behind after every
 * checkpoint at 5,000 observations a second. Buffers take a quarter of the memory, between
 * PostgreSQL's default and 2 GB, so a small machine keeps room for NetPulse itself. WAL compression
 * is pglz, the one every PostgreSQL build has (the embedded binaries lack lz4).
 */
export const telemetrySettings = (totalMemoryBytes: number): Readonly<Record<string, string>> => {
  const mib = 1024 * 1024;
  const buffersMib = Math.min(2048, Math.max(128, Math.floor(totalMemoryBytes / 4 / mib)));
  return {
    shared_buffers: `${buffersMib}MB`,
    max_wal_size: '8GB',
    checkpoint_timeout: '15min',
    wal_compression: 'pglz',
  };
};

export const settingFlags = (settings: Readonly<Record<string, string>>): string[] =>
  Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
