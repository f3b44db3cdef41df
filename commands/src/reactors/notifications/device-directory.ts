import { loadDevice } from '../alerting/alert-commands.js';
import { forEachLimited } from '../observation-window.js';
import type { ReactorContext } from '../reactor.js';
import type { NotifiableAlert } from './notifiable-alert.js';
import type { DeviceInfo } from './routing.js';

/**
 * The device name and tags of each held alert, read when the reactor first sees the alert and kept
 * for its life: an alert is routed by the tags its device had then, and a notification about it
 * costs no device read.
 */
export class DeviceDirectory {
  private readonly byAlert = new Map<string, DeviceInfo | null>();

  reset(): void {
    this.byAlert.clear();
  }

  async load(context: ReactorContext, alerts: Iterable<NotifiableAlert>): Promise<void> {
    const held = new Set<string>();
    const missing = new Map<string, string[]>();
    for (const alert of alerts) {
      held.add(alert.alertId);
      if (this.byAlert.has(alert.alertId)) continue;
      missing.set(alert.deviceId, [...(missing.get(alert.deviceId) ?? []), alert.alertId]);
    }
    for (const alertId of this.byAlert.keys()) if (!held.has(alertId)) this.byAlert.delete(alertId);
    await forEachLimited([...missing], 8, async ([deviceId, alertIds]) => {
      const device = await loadDevice(context, deviceId);
      const info =
        device.status === 'unregistered' ? null : { name: device.profile.name, tags: device.profile.tags };
      for (const alertId of alertIds) this.byAlert.set(alertId, info);
    });
  }

  get(alert: NotifiableAlert): DeviceInfo | null {
    return this.byAlert.get(alert.alertId) ?? null;
  }
}
