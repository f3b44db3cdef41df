import { type ApiContext, authorize } from '../context.js';
import type { CommandBody } from './send-command.js';
import { sendCommand } from './send-command.js';

type AlertArgs = Readonly<{ alertId: string; note?: string | null; expectedVersion?: bigint | null }>;

/**
 * Alert commands name the instance; the command bus locates its stream (keyed by reduction key)
 * within the caller's organization, so a foreign or unknown alert id is NOT_FOUND before anything
 * else is looked at.
 */
const onAlert = (context: ApiContext, command: CommandBody, expectedVersion: bigint | null | undefined) =>
  sendCommand(context, authorize(context, 'alert:write'), command, { expectedVersion });

export const alertMutations = {
  acknowledgeAlert: (_root: unknown, args: AlertArgs, context: ApiContext) =>
    onAlert(
      context,
      { type: 'AcknowledgeAlert', data: { alertId: args.alertId, note: args.note ?? null } },
      args.expectedVersion,
    ),

  unacknowledgeAlert: (_root: unknown, args: AlertArgs, context: ApiContext) =>
    onAlert(
      context,
      { type: 'UnacknowledgeAlert', data: { alertId: args.alertId, note: args.note ?? null } },
      args.expectedVersion,
    ),

  resolveAlert: (_root: unknown, args: AlertArgs, context: ApiContext) =>
    onAlert(
      context,
      { type: 'ResolveAlert', data: { alertId: args.alertId, automatic: false, note: args.note ?? null } },
      args.expectedVersion,
    ),

  addAlertNote: (
    _root: unknown,
    args: Readonly<{ alertId: string; text: string; expectedVersion?: bigint | null }>,
    context: ApiContext,
  ) =>
    onAlert(
      context,
      {
        type: 'AddAlertNote',
        data: { alertId: args.alertId, noteId: context.ports.newId(), text: args.text },
      },
      args.expectedVersion,
    ),
};
