import {
  allProjections,
  detectMetricsStorage,
  type MetricsStorageKind,
  type Projection,
  ProjectionRegistry,
  READ_MODEL_MIGRATIONS_TABLE,
  readModelMigrations,
} from '@netpulse/projections';
import type pg from 'pg';
import { migrate } from '../../postgres/migrator.js';

export type ReadModelDatabase = Readonly<{
  registry: ProjectionRegistry;
  storage: MetricsStorageKind;
  projections: readonly Projection[];
}>;

/** Applies the read-model migrations (infra's migrator, one way to migrate) and picks the metrics storage. */
export const openReadModelDatabase = async (
  pool: pg.Pool,
  schema: string,
  names?: readonly string[],
): Promise<ReadModelDatabase> => {
  await migrate(pool, schema, readModelMigrations, READ_MODEL_MIGRATIONS_TABLE);
  const storage = await detectMetricsStorage(pool);
  const projections = allProjections(storage).filter(
    (projection) => !names || names.includes(projection.name),
  );
  return { registry: new ProjectionRegistry(pool, schema), storage, projections };
};
