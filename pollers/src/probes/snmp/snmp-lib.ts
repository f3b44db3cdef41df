/// <reference path="../../types/net-snmp.d.ts" />
import snmp from 'net-snmp';

/** The one import of net-snmp, typed by types/net-snmp.d.ts. */
export { snmp };
export type Varbind = snmp.Varbind;
export type SnmpSession = snmp.Session;
export type SnmpUser = snmp.User;
export type SnmpReceiver = snmp.Receiver;
export type SnmpNotification = snmp.Notification;

/** Varbind type codes (SMI syntaxes as net-snmp numbers them). */
export const ObjectTypes = {
  Boolean: 1,
  Integer: 2,
  OctetString: 4,
  Null: 5,
  OID: 6,
  IpAddress: 64,
  Counter: 65,
  Gauge: 66,
  TimeTicks: 67,
  Opaque: 68,
  Counter64: 70,
  NoSuchObject: 128,
  NoSuchInstance: 129,
  EndOfMibView: 130,
} as const;

export const objectTypeName = (type: number): string => {
  const name = snmp.ObjectType[type];
  return typeof name === 'string' ? name : `type${type}`;
};

export const isVarbindError = (varbind: Varbind): boolean =>
  varbind.type === ObjectTypes.NoSuchObject ||
  varbind.type === ObjectTypes.NoSuchInstance ||
  varbind.type === ObjectTypes.EndOfMibView;

export const get = (session: SnmpSession, oidList: readonly string[]): Promise<Varbind[]> =>
  new Promise((resolve, reject) => {
    session.get(oidList, (error, varbinds) => (error ? reject(error) : resolve(varbinds ?? [])));
  });

export const getBulk = (
  session: SnmpSession,
  oidList: readonly string[],
  maxRepetitions: number,
): Promise<(Varbind | Varbind[])[]> =>
  new Promise((resolve, reject) => {
    session.getBulk(oidList, 0, maxRepetitions, (error, varbinds) =>
      error ? reject(error) : resolve(varbinds ?? []),
    );
  });
