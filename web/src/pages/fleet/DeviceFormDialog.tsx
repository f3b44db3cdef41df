import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { Modal } from '../../components/modal';
import { InlineError, Loading } from '../../components/states';
import { useClient } from '../../graphql/client-context';
import { deviceKinds } from '../../graphql/schema-types';
import { useMutation } from '../../graphql/use-mutation';
import {
  blankDeviceForm,
  type DeviceForm,
  deviceChanges,
  type FormErrors,
  formFromDevice,
  validateDeviceForm,
} from './device-form';
import type { FleetDevice } from './fleet-device';
import { DeviceProbesQuery, RegisterDeviceMutation, UpdateDeviceMutation } from './fleet-documents';

type Props = Readonly<{
  /** The device to edit; absent to register a new one. */
  device?: FleetDevice;
  onClose: () => void;
  /** After a successful write: the device and the stream version written. */
  onSaved: (deviceId: string, version: string) => void;
}>;

const Field = ({ label, error, children }: { label: string; error?: string; children: ReactNode }) => (
  // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in.
  <label className="field">
    {label}
    {children}
    {error && <span className="inline-error">{error}</span>}
  </label>
);

const newDeviceId = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `dev-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** Register a device, or edit one (only the changed fields are sent, with the version read). */
export const DeviceFormDialog = ({ device, onClose, onSaved }: Props) => {
  const client = useClient();
  const [form, setForm] = useState<DeviceForm>(blankDeviceForm);
  const [baseProbes, setBaseProbes] = useState<unknown>(undefined);
  const [version, setVersion] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [errors, setErrors] = useState<FormErrors>({});
  // The id is chosen once per dialog so a retried submit is idempotent.
  const [deviceId] = useState(() => device?.deviceId ?? newDeviceId());
  const [register, registering] = useMutation(RegisterDeviceMutation);
  const [update, updating] = useMutation(UpdateDeviceMutation);

  useEffect(() => {
    if (!device) return;
    client.request(DeviceProbesQuery, { deviceId: device.deviceId }).then(({ device: current }) => {
      setBaseProbes(current?.probes ?? {});
      setVersion(current?.version ?? null);
      setForm(formFromDevice(device, current?.probes));
    }, setLoadError);
  }, [client, device]);

  const set =
    <K extends keyof DeviceForm>(key: K) =>
    (value: DeviceForm[K]) =>
      setForm((current) => ({ ...current, [key]: value }));
  const text = (key: keyof DeviceForm) => ({
    value: String(form[key]),
    onChange: (event: { target: { value: string } }) => set(key)(event.target.value as never),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validateDeviceForm(form, baseProbes);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    try {
      if (device) {
        const before = validateDeviceForm(formFromDevice(device, baseProbes), baseProbes);
        const changes = before.ok ? deviceChanges(before.input, checked.input) : checked.input;
        if (Object.keys(changes).length === 0) return onClose();
        const { updateDevice } = await update({
          deviceId: device.deviceId,
          changes,
          expectedVersion: version,
        });
        onSaved(device.deviceId, updateDevice.version);
      } else {
        const { registerDevice } = await register({ input: { deviceId, ...checked.input } });
        onSaved(deviceId, registerDevice.version);
      }
    } catch {
      // Shown by the mutation's error state.
    }
  };

  const pending = registering.pending || updating.pending;
  const loading = device !== undefined && baseProbes === undefined && !loadError;

  return (
    <Modal title={device ? `Edit ${device.name}` : 'Register a device'} onClose={onClose}>
      {loading ? (
        <Loading label="Reading the device's settings…" />
      ) : (
        <form onSubmit={submit} noValidate aria-label={device ? 'Edit device' : 'Register device'}>
          <InlineError error={loadError} />
          <div className="form-grid">
            <Field label="Name" error={errors.name}>
              <input name="name" required {...text('name')} />
            </Field>
            <Field label="Address (IP or host name)" error={errors.address}>
              <input name="address" required {...text('address')} />
            </Field>
            <Field label="Kind">
              <select name="kind" {...text('kind')}>
                {deviceKinds.map((kind) => (
                  <option key={kind} value={kind}>
                    {kind}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Location">
              <input name="location" {...text('location')} />
            </Field>
            <Field label="Tags (comma separated)" error={errors.tags}>
              <input name="tags" {...text('tags')} />
            </Field>
            <Field label="Parent device id (upstream)">
              <input name="parentId" {...text('parentId')} />
            </Field>
          </div>
          <fieldset className="panel">
            <legend className="dim">Probes</legend>
            <div className="form-grid">
              <label className="check">
                <input
                  type="checkbox"
                  name="icmpEnabled"
                  checked={form.icmpEnabled}
                  onChange={(event) => set('icmpEnabled')(event.target.checked)}
                />
                ICMP ping
                {errors.icmpEnabled && <span className="inline-error">{errors.icmpEnabled}</span>}
              </label>
              <Field label="ICMP interval (s)" error={errors.icmpIntervalSeconds}>
                <input
                  name="icmpIntervalSeconds"
                  inputMode="numeric"
                  disabled={!form.icmpEnabled}
                  {...text('icmpIntervalSeconds')}
                />
              </Field>
              <Field label="TCP ports (comma separated, empty = none)" error={errors.tcpPorts}>
                <input name="tcpPorts" inputMode="numeric" {...text('tcpPorts')} />
              </Field>
              <div className="row">
                <Field label="TCP interval (s)" error={errors.tcpIntervalSeconds}>
                  <input
                    name="tcpIntervalSeconds"
                    inputMode="numeric"
                    size={6}
                    {...text('tcpIntervalSeconds')}
                  />
                </Field>
                <Field label="TCP timeout (ms)" error={errors.tcpTimeoutMs}>
                  <input name="tcpTimeoutMs" inputMode="numeric" size={6} {...text('tcpTimeoutMs')} />
                </Field>
              </div>
              <label className="check wide">
                <input
                  type="checkbox"
                  name="snmpEnabled"
                  checked={form.snmpEnabled}
                  onChange={(event) => set('snmpEnabled')(event.target.checked)}
                />
                SNMP (CPU, memory, interface traffic)
              </label>
              {form.snmpEnabled && (
                <>
                  <Field label="SNMP version">
                    <select name="snmpVersion" {...text('snmpVersion')}>
                      <option value="v2c">v2c</option>
                      <option value="v3">v3</option>
                    </select>
                  </Field>
                  <Field label="SNMP port" error={errors.snmpPort}>
                    <input name="snmpPort" inputMode="numeric" {...text('snmpPort')} />
                  </Field>
                  <Field
                    label="Credential reference (configured on the poller)"
                    error={errors.snmpCredentialRef}
                  >
                    <input name="snmpCredentialRef" {...text('snmpCredentialRef')} />
                  </Field>
                  <Field label="SNMP interval (s)" error={errors.snmpIntervalSeconds}>
                    <input name="snmpIntervalSeconds" inputMode="numeric" {...text('snmpIntervalSeconds')} />
                  </Field>
                </>
              )}
            </div>
          </fieldset>
          <InlineError error={registering.error ?? updating.error} />
          <div className="form-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={pending}>
              {pending ? 'Saving…' : device ? 'Save changes' : 'Register'}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
};
