import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../test/harness/free-port';

export interface SimProcess {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The fleet simulator in its own process, as exporters are in production: rendering 10,000 GPUs' exposition every
 * scrape must not stall the event loop of the process being measured.
 */
export async function startSimProcess(scenarioFile: string): Promise<SimProcess> {
  const port = await freePort();
  const root = join(__dirname, '..');
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      join(root, 'apps/fleet-sim/src/main.ts'),
      '--scenario',
      scenarioFile,
      '--port',
      String(port),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`fleet-sim exited with ${code} before listening`)));
  });
  child.stdout.resume();
  return {
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
