import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './free-port';
import { pollUntil } from './poll';

export interface RunningRedis {
  readonly url: string;
  /** SIGKILL (a crash); without persistence the data is gone. */
  kill(): Promise<void>;
  /** Starts redis-server again on the same port (empty: no persistence); resolves once it accepts connections. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A throw-away redis-server (Debian package) on a free port, without persistence. */
export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  let child!: ChildProcess;
  let exited!: Promise<void>;
  const url = `redis://127.0.0.1:${port}`;
  const launch = async () => {
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    child = proc;
    exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    await pollUntil('redis listening', async () => {
      if (proc.exitCode !== null) throw new Error('redis-server exited');
      return new Promise<true | undefined>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(undefined));
      });
    });
  };
  await launch();
  const signal = async (s: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(s);
    await exited;
  };
  return {
    url,
    kill: () => signal('SIGKILL'),
    restart: launch,
    stop: () => signal('SIGTERM'),
  };
}
