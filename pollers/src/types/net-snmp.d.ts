/**
 * The part of net-snmp (which ships no types) that NetPulse uses. Kept minimal on purpose: every
 * value coming back from the library is treated as untrusted and checked at runtime anyway.
 */
declare module 'net-snmp' {
  import type { EventEmitter } from 'node:events';
  import type { Socket } from 'node:dgram';

  namespace snmp {
    type Varbind = Readonly<{ oid: string; type: number; value: unknown }>;
    type ResponseCallback<T> = (error: Error | null, varbinds?: T) => void;

    interface SessionOptions {
      port?: number;
      trapPort?: number;
      sourceAddress?: string;
      retries?: number;
      timeout?: number;
      backoff?: number;
      transport?: 'udp4' | 'udp6';
      version?: number;
      idBitsSize?: 16 | 32;
      backwardsGetNexts?: boolean;
      context?: string;
      engineID?: string;
    }

    interface User {
      name: string;
      level: number;
      authProtocol?: number;
      authKey?: string;
      privProtocol?: number;
      privKey?: string;
    }

    interface Session extends EventEmitter {
      get(oids: readonly string[], callback: ResponseCallback<Varbind[]>): void;
      getBulk(
        oids: readonly string[],
        nonRepeaters: number,
        maxRepetitions: number,
        callback: ResponseCallback<(Varbind | Varbind[])[]>,
      ): void;
      trap(
        typeOrOid: number | string,
        varbinds: readonly Varbind[],
        callback: (error: Error | null) => void,
      ): void;
      close(): void;
    }

    type Notification = Readonly<{
      pdu: Readonly<{
        type: number;
        id?: number;
        varbinds?: readonly Varbind[];
        enterprise?: string;
        agentAddr?: string;
        generic?: number;
        specific?: number;
        upTime?: number;
      }>;
      rinfo: Readonly<{ address: string; family: string; port: number; size: number }>;
    }>;

    interface Authorizer {
      addCommunity(community: string): void;
      addUser(user: User): void;
    }

    interface ReceiverOptions {
      port?: number;
      address?: string | null;
      transport?: 'udp4' | 'udp6';
      disableAuthorization?: boolean;
      includeAuthentication?: boolean;
      engineID?: string;
    }

    interface Receiver {
      getAuthorizer(): Authorizer;
      close(callback?: () => void): void;
      /** Internal, but the only way to learn whether the UDP socket actually bound. */
      listener: { sockets?: Record<string, Socket> };
    }
  }

  const snmp: {
    createSession(target: string, community: string, options?: snmp.SessionOptions): snmp.Session;
    createV3Session(target: string, user: snmp.User, options?: snmp.SessionOptions): snmp.Session;
    createReceiver(
      options: snmp.ReceiverOptions,
      callback: (error: Error | null, notification: snmp.Notification | null) => void,
    ): snmp.Receiver;
    isVarbindError(varbind: snmp.Varbind): boolean;
    Version1: number;
    Version2c: number;
    Version3: number;
    ObjectType: Readonly<Record<string, number | string>>;
    PduType: Readonly<Record<string, number | string>>;
    ErrorStatus: Readonly<Record<string, number | string>>;
    SecurityLevel: Readonly<{ noAuthNoPriv: number; authNoPriv: number; authPriv: number }>;
    AuthProtocols: Readonly<Record<'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512', number>>;
    PrivProtocols: Readonly<Record<'des' | 'aes' | 'aes256b' | 'aes256r', number>>;
  };
  export = snmp;
}
