import { parseWith } from '../shared/validation.js';
import { ObservationData, type RecordObservation, type RecordTrap, TrapData } from './commands.js';
import type { DeviceObserved, TrapReceived } from './events.js';

/**
 * Observations need no aggregate: each stands alone, so recording one is validating it. Invalid
 * data throws VALIDATION_FAILED with the zod issues in `details.issues`.
 */
export const recordObservation = (command: RecordObservation): DeviceObserved => ({
  type: 'DeviceObserved',
  data: parseWith(ObservationData, command.data, 'invalid observation'),
});

export const recordTrap = (command: RecordTrap): TrapReceived => ({
  type: 'TrapReceived',
  data: parseWith(TrapData, command.data, 'invalid trap'),
});
