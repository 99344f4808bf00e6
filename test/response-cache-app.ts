import { PinoLogger } from 'nestjs-pino';
import { symbols } from 'pino';
import { type RunningApp, startApp } from './harness/app';

/**
 * The in-process API as the response-cache suites need it: production mode on the simulated fleet, API keys and a
 * metrics token, answers kept 300 s (the realtime class as long), the analyzer idle after its first cycle (no refresh
 * mid-test), and every log line it writes captured. `env` adds to or overrides that.
 */
export async function startCachingApp(
  env: Readonly<Record<string, string>> & { API_KEYS: string; METRICS_TOKEN: string },
): Promise<RunningApp & { readonly lines: string[] }> {
  const running = await startApp({
    NODE_ENV: 'production',
    DATA_SOURCE: 'simulated',
    CACHE_TTL_REALTIME_SECONDS: '300',
    RESPONSE_CACHE_TTL_SECONDS: '300',
    ANALYZER_INTERVAL_SECONDS: '3600',
    ...env,
  });
  const lines: string[] = [];
  const stream = (PinoLogger.root as unknown as Record<symbol, { write: (s: string) => unknown }>)[
    symbols.streamSym
  ]!;
  const write = stream.write.bind(stream);
  jest.spyOn(stream, 'write').mockImplementation((s: string) => {
    lines.push(s);
    return write(s);
  });
  return { ...running, lines };
}
