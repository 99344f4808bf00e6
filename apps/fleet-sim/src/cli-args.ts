import { parseArgs } from 'node:util';

import type { HostnameLabel } from './exposition';

export interface CliOptions {
  /** Absent: the embedded demo scenario. */
  readonly scenario?: string;
  readonly port: number;
  readonly host: string;
  readonly seed?: number | string;
  readonly hostnameLabel: HostnameLabel;
  readonly powerLimit: boolean;
}

export const USAGE = `usage: npm run sim -- [--scenario <file>] [--port 9400] [--host 127.0.0.1] [--seed <n>]
                     [--hostname-label Hostname|hostname] [--no-power-limit]
`;

export const DEFAULT_PORT = 9400; // dcgm-exporter's default port

/** Parses argv (without node and script); throws an Error whose message explains the problem. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scenario: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'hostname-label': { type: 'string' },
      'no-power-limit': { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: not a port number: ${values.port}`);
  const hostnameLabel = values['hostname-label'] ?? 'Hostname';
  if (hostnameLabel !== 'Hostname' && hostnameLabel !== 'hostname')
    throw new Error(`--hostname-label: Hostname or hostname, not ${hostnameLabel}`);
  const seed =
    values.seed === undefined ? undefined : /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  return {
    ...(values.scenario ? { scenario: values.scenario } : {}),
    port,
    host: values.host ?? '127.0.0.1',
    ...(seed !== undefined ? { seed } : {}),
    hostnameLabel,
    powerLimit: !values['no-power-limit'],
  };
}
