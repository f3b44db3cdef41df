export { loadProjectorConfig, type ProjectorConfig, ProjectorConfigSchema } from './projector-config.js';
export { openReadModelDatabase, type ReadModelDatabase } from './read-model-database.js';
export { type ProjectorRole, type ProjectorRoleDeps, startProjectorRole } from './start-projector-role.js';
