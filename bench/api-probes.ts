import { readFileSync } from 'node:fs';
import type { ApiProcess } from './graph-api';
import type { Inspector } from './inspector';

/** What the scale and heap benches read from a running API process: /proc figures, GraphQL answers, CPU time. */

/** A `VmRSS` / `VmHWM` line of /proc/<pid>/status, in KiB. */
export function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.replace(/\D+/g, '') ?? 0);
}

/** The `data` of a GraphQL answer; anything else (an HTTP error, errors without data) throws with the answer. */
export async function gql<T>(api: ApiProcess, query: string): Promise<T> {
  const res = await api.post(JSON.stringify({ query }));
  const body = JSON.parse(res.text) as { data?: T; errors?: unknown };
  if (res.status !== 200 || !body.data) throw new Error(`${query.slice(0, 60)}: ${res.text.slice(0, 400)}`);
  return body.data;
}

/** The API process's CPU time so far (user + system, ms), read inside it through the inspector. */
export async function cpuMs(inspector: Inspector): Promise<number> {
  const r = await inspector.send<{ result: { value: { user: number; system: number } } }>(
    'Runtime.evaluate',
    {
      expression: 'process.cpuUsage()',
      returnByValue: true,
    },
  );
  return (r.result.value.user + r.result.value.system) / 1000;
}
