import { isIPv6 } from 'node:net';
import type { CredentialStore } from '../credentials/credential-store.js';
import { type SnmpNotification, type SnmpReceiver, snmp } from '../probes/snmp/snmp-lib.js';
import { type MappedTrap, mapNotification } from './trap-mapping.js';

export type TrapReceiverOptions = Readonly<{
  port: number;
  address: string;
  /** Accept v1/v2c notifications whatever their community. */
  acceptAnyCommunity: boolean;
  credentials: CredentialStore;
  onTrap: (trap: MappedTrap) => void;
  /** A notification that was refused or could not be decoded; `source` is the sender's address. */
  onRejected: (reason: 'unauthorized' | 'undecodable' | 'invalid', source: string | null) => void;
  now?: () => Date;
}>;

/** Raised when the trap port cannot be opened; carries no configuration value but the port. */
export class TrapReceiverError extends Error {
  override readonly name = 'TrapReceiverError';
}

/**
 * Listens for SNMP notifications (v1/v2c traps, informs, and v3 for the users configured as
 * credentials). Communities and v3 keys come from the same credential map the probes use;
 * net-snmp's error messages quote the offending community, so none of them is passed on.
 */
export class TrapReceiver {
  readonly #options: TrapReceiverOptions;
  #receiver: SnmpReceiver | null = null;

  constructor(options: TrapReceiverOptions) {
    this.#options = options;
  }

  get listening(): boolean {
    return this.#receiver !== null;
  }

  async start(): Promise<void> {
    const { port, address, credentials } = this.#options;
    let bindFailed: ((error: TrapReceiverError) => void) | null = null;
    const receiver = snmp.createReceiver(
      {
        port,
        address,
        transport: isIPv6(address) ? 'udp6' : 'udp4',
        disableAuthorization: this.#options.acceptAnyCommunity,
        includeAuthentication: false,
      },
      (error, notification) => {
        if (error) {
          const syscall = (error as { syscall?: unknown }).syscall;
          if (syscall === 'bind' && bindFailed) {
            const code = (error as { code?: unknown }).code;
            bindFailed(
              new TrapReceiverError(`cannot listen for traps on UDP ${address}:${port} (${String(code)})`),
            );
            return;
          }
          this.#rejected(error);
          return;
        }
        if (notification) this.#received(notification);
      },
    );
    const authorizer = receiver.getAuthorizer();
    for (const credential of credentials.all()) {
      if (credential.version === 'v2c') {
        authorizer.addCommunity(credential.community);
        continue;
      }
      authorizer.addUser({
        name: credential.user,
        level: snmp.SecurityLevel[credential.level],
        ...(credential.level !== 'noAuthNoPriv' && {
          authProtocol: snmp.AuthProtocols[credential.authProtocol],
          authKey: credential.authKey,
        }),
        ...(credential.level === 'authPriv' && {
          privProtocol: snmp.PrivProtocols[credential.privProtocol],
          privKey: credential.privKey,
        }),
      });
    }
    const sockets = Object.values(receiver.listener.sockets ?? {});
    try {
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve, reject) => {
              bindFailed = reject;
              socket.once('listening', () => resolve());
            }),
        ),
      );
    } catch (error) {
      receiver.close();
      throw error;
    } finally {
      bindFailed = null;
    }
    this.#receiver = receiver;
  }

  /** The UDP port actually bound (differs from the configured one when that was 0). */
  boundPort(): number | null {
    const socket = Object.values(this.#receiver?.listener.sockets ?? {})[0];
    return socket ? socket.address().port : null;
  }

  async stop(): Promise<void> {
    const receiver = this.#receiver;
    this.#receiver = null;
    if (!receiver) return;
    await new Promise<void>((resolve) => {
      try {
        receiver.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }

  #received(notification: SnmpNotification): void {
    try {
      // A scoped PDU (context engine id / name) only exists in SNMPv3 messages.
      const pdu = notification.pdu as SnmpNotification['pdu'] & {
        contextEngineID?: unknown;
        contextName?: unknown;
      };
      const version = pdu.contextEngineID !== undefined || pdu.contextName !== undefined ? 'v3' : 'v2c';
      this.#options.onTrap(mapNotification(notification, version, this.#options.now?.() ?? new Date()));
    } catch {
      this.#options.onRejected('invalid', notification.rinfo?.address ?? null);
    }
  }

  #rejected(error: Error): void {
    const rinfo = (error as { rinfo?: { address?: unknown } }).rinfo;
    const source = typeof rinfo?.address === 'string' ? rinfo.address : null;
    this.#options.onRejected(error.name === 'ProcessingError' ? 'undecodable' : 'unauthorized', source);
  }
}
