import { loadConfig } from '@kcloud/common';
import { logFormatOf, loggerParams, PINO_LEVELS } from './logger.params';
import { redactArgs } from './redact-args';
import { acceptedRequestId } from './request-id';

describe('acceptedRequestId', () => {
  it.each([
    ['req-42', 'req-42'],
    ['4f78ab21-6d8a-46d8-9308-039872355bd7', '4f78ab21-6d8a-46d8-9308-039872355bd7'],
    [
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'.slice(0, 128),
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    ],
    [['first', 'second'], 'first'],
  ])('keeps a plain id %p', (raw, id) => expect(acceptedRequestId(raw)).toBe(id));

  it.each([undefined, '', 'x'.repeat(129), 'a b', 'a"b', 'line\nbreak', '-leading', '../x', 'ü'])(
    'refuses %p',
    (raw) => expect(acceptedRequestId(raw)).toBeUndefined(),
  );
});

describe('redactArgs', () => {
  it('blanks credential-named fields and credentials inside strings, keeps the rest', () => {
    expect(
      redactArgs({
        input: {
          name: 'east',
          url: 'https://user:pw-123456@prom.example:9090/x?token=abc',
          auth: { bearerToken: 'tok-1234567', password: 'p', username: 'bob' },
          headers: ['Authorization: Bearer abcdefgh12345'],
          apiKey: 'k',
          intervalSeconds: 60,
        },
      }),
    ).toEqual({
      input: {
        name: 'east',
        url: 'https://***@prom.example:9090/x?token=***',
        auth: '***',
        headers: ['Authorization: Bearer ***'],
        apiKey: '***',
        intervalSeconds: 60,
      },
    });
  });

  it('cuts long strings and lists', () => {
    const out = redactArgs({ s: 'a'.repeat(2000), l: Array.from({ length: 80 }, (_, i) => i) }) as {
      s: string;
      l: unknown[];
    };
    expect(out.s.length).toBeLessThanOrEqual(513);
    expect(out.l).toHaveLength(51);
  });
});

describe('logger parameters', () => {
  it("maps every Nest level onto pino's", () => {
    expect(PINO_LEVELS).toEqual({
      fatal: 'fatal',
      error: 'error',
      warn: 'warn',
      log: 'info',
      debug: 'debug',
      verbose: 'trace',
    });
    const params = loggerParams(loadConfig({ LOG_LEVEL: 'WARNING' }));
    expect((params.pinoHttp as { level?: string }).level).toBe('warn');
  });

  it('falls back to JSON when LOG_FORMAT=pretty and pino-pretty is not installed (a production install)', () => {
    const config = loadConfig({ LOG_FORMAT: 'pretty' });
    const missing = (): string => {
      throw new Error("Cannot find module 'pino-pretty'");
    };
    expect(logFormatOf(config, missing)).toEqual({ requested: 'pretty', pretty: false });
    expect(
      (loggerParams(config, logFormatOf(config, missing)).pinoHttp as { transport?: unknown }).transport,
    ).toBeUndefined();
    expect(logFormatOf(config)).toEqual({ requested: 'pretty', pretty: true });
    expect(logFormatOf(loadConfig({}))).toEqual({ requested: 'json', pretty: false });
  });
});
