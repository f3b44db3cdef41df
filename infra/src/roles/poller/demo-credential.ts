import type { PollerConfig } from '@netpulse/pollers';

/**
 * The credential reference demo SNMP devices use: Debian's stock snmpd answers the `public`
 * community on localhost. It is added only when configuration does not define the reference, so
 * an operator can point it elsewhere (NETPULSE_SNMP_CREDENTIAL_DEMO_LOCAL) or remove its use by
 * decommissioning the demo device. The community is still only in configuration, never in an event.
 */
export const DEMO_CREDENTIAL_REF = 'demo-local';

export const withDemoCredential = (config: PollerConfig): PollerConfig =>
  config.credentials[DEMO_CREDENTIAL_REF] || config.credentials.demo_local
    ? config
    : {
        ...config,
        credentials: {
          ...config.credentials,
          [DEMO_CREDENTIAL_REF]: { version: 'v2c', community: 'public' },
        },
      };
