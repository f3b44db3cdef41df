export { DEMO_CREDENTIAL_REF, withDemoCredential } from './demo-credential.js';
export {
  demoDeviceIds,
  type RegisterDevice,
  type RegisterDeviceInput,
  type SeedDemoFleetOptions,
  type SeedResult,
  seedDemoFleet,
} from './demo-fleet.js';
export { type PollerRole, type PollerRoleDeps, startPollerRole } from './start-poller-role.js';
