import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

describe('LOG_LEVEL', () => {
  it.each([
    ['DEBUG', 'debug'],
    ['debug', 'debug'],
    ['INFO', 'log'],
    ['info', 'log'],
    ['WARN', 'warn'],
    ['WARNING', 'warn'],
    ['Warning', 'warn'],
    ['ERROR', 'error'],
    ['log', 'log'],
    ['VERBOSE', 'verbose'],
    ['fatal', 'fatal'],
  ])("accepts the seeds' spelling %s as Nest's %s", (raw, level) => {
    expect(loadConfig({ LOG_LEVEL: raw }).server.logLevel).toBe(level);
  });

  it('still refuses an unknown level, naming the variable', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'chatty' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_LEVEL: 'chatty' })).toThrow(/LOG_LEVEL/);
  });

  it('reads LOG_FORMAT json (default) or pretty, and OPENAPI as a boolean', () => {
    expect(loadConfig({}).env.LOG_FORMAT).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'PRETTY' }).env.LOG_FORMAT).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
    expect(loadConfig({ OPENAPI: 'false' }).env.OPENAPI).toBe(false);
  });
});
