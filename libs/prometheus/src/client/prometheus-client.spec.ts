import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { type ClusterConfig, DomainError, ErrorCode, withUpstreamSignal } from '@kcloud/common';
import { eq, oneOf } from '../promql/matchers';
import { fn, selector } from '../promql/expr';
import { apiError, FakePrometheus, json, matrix, vector } from '../testing/fake-prometheus';
import {
  PrometheusClient,
  type PrometheusClientOptions,
  type PrometheusRequestEvent,
} from './prometheus-client';
import {
  PrometheusCancelledError,
  PrometheusQueryError,
  PrometheusResponseTooLargeError,
  PrometheusTimeoutError,
  PrometheusUnavailableError,
} from './prometheus-errors';

describe('PrometheusClient', () => {
  let fake: FakePrometheus;
  let events: PrometheusRequestEvent[];
  const clients: PrometheusClient[] = [];

  function client(
    overrides: Omit<Partial<PrometheusClientOptions>, 'cluster'> & { cluster?: Partial<ClusterConfig> } = {},
  ): PrometheusClient {
    const { cluster, ...rest } = overrides;
    const c = new PrometheusClient({
      cluster: { name: 'east', url: fake.url, ...cluster } as ClusterConfig,
      timeoutMs: 2_000,
      retries: 2,
      backoff: { initialDelayMs: 1, maxDelayMs: 5 },
      onRequest: (e) => events.push(e),
      ...rest,
    });
    clients.push(c);
    return c;
  }

  async function failure(promise: Promise<unknown>): Promise<DomainError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }

  beforeEach(async () => {
    fake = await FakePrometheus.start();
    events = [];
  });

  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    await fake.stop();
  });

  const up = selector('up', [eq('job', 'dcgm')]);

  describe('decoding', () => {
    it('parses a vector, including NaN and ±Inf, with millisecond timestamps', async () => {
      fake.handler = (_req, res) =>
        json(
          res,
          200,
          vector([
            { metric: { __name__: 'up', job: 'a' }, value: [1700000000.123, '1'] },
            { metric: { job: 'b' }, value: [1700000000, 'NaN'] },
            { metric: { job: 'c' }, value: [1700000000, '+Inf'] },
            { metric: { job: 'd' }, value: [1700000000, '-Inf'] },
            { metric: { job: 'e' }, value: [1700000000, '1.5e3'] },
          ]),
        );
      const samples = await client().instant(up);
      expect(samples[0]).toEqual({
        labels: { __name__: 'up', job: 'a' },
        value: 1,
        timestampMs: 1700000000123,
      });
      expect(samples.map((s) => s.value)).toEqual([1, NaN, Infinity, -Infinity, 1500]);
    });

    it('parses a scalar as one unlabelled sample', async () => {
      fake.handler = (_req, res) =>
        json(res, 200, { status: 'success', data: { resultType: 'scalar', result: [1700000000, '42'] } });
      expect(await client().instant(fn('scalar', up))).toEqual([
        { labels: {}, value: 42, timestampMs: 1700000000000 },
      ]);
    });

    it('parses a matrix from a range query and sends start, end and step', async () => {
      fake.handler = (_req, res) =>
        json(
          res,
          200,
          matrix([
            {
              metric: { job: 'a' },
              values: [
                [1700000000, '1'],
                [1700000060, 'NaN'],
              ],
            },
          ]),
        );
      const start = new Date(1700000000000);
      const series = await client().range(up, {
        start,
        end: new Date(start.getTime() + 60_000),
        stepSeconds: 60,
      });
      expect(series).toEqual([
        {
          labels: { job: 'a' },
          points: [
            { timestampMs: 1700000000000, value: 1 },
            { timestampMs: 1700000060000, value: NaN },
          ],
        },
      ]);
      const [req] = fake.requests;
      expect(req?.path).toBe('/api/v1/query_range');
      expect(Object.fromEntries(req?.params ?? [])).toEqual({
        query: up,
        start: '1700000000.000',
        end: '1700000060.000',
        step: '60',
        timeout: '2000ms',
      });
    });

    it('reports an answer that is not Prometheus JSON as UPSTREAM_ERROR', async () => {
      fake.handler = (_req, res) => res.end('<html>login</html>');
      const error = await failure(client().instant(up));
      expect(error).toBeInstanceOf(PrometheusQueryError);
      expect(error.code).toBe(ErrorCode.UPSTREAM_ERROR);
    });

    it('reports a result of the wrong shape as UPSTREAM_ERROR', async () => {
      fake.handler = (_req, res) =>
        json(res, 200, {
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: {}, value: [1, 3] }] },
        });
      expect((await failure(client().instant(up))).code).toBe(ErrorCode.UPSTREAM_ERROR);
    });
  });

  describe('requests', () => {
    it('POSTs queries form-encoded with time and a server-side timeout, over one kept-alive socket', async () => {
      const c = client();
      await c.instant(up, { time: new Date(1700000000500) });
      await c.instant(up);
      const [req] = fake.requests;
      expect(req?.method).toBe('POST');
      expect(req?.path).toBe('/api/v1/query');
      expect(req?.headers['content-type']).toContain('application/x-www-form-urlencoded');
      expect(Object.fromEntries(req?.params ?? [])).toEqual({
        query: up,
        time: '1700000000.500',
        timeout: '2000ms',
      });
      expect(fake.connections).toBe(1);
    });

    it('keeps a path prefix of the configured URL (Mimir, Thanos behind a proxy)', async () => {
      await client({ cluster: { url: `${fake.url}/prometheus` } }).instant(up);
      expect(fake.requests[0]?.path).toBe('/prometheus/api/v1/query');
    });

    it('asks for label values with a match[] selector', async () => {
      fake.handler = (_req, res) => json(res, 200, { status: 'success', data: ['east', 'west'] });
      expect(await client().labelValues('cluster', [oneOf('job', ['dcgm'])])).toEqual(['east', 'west']);
      expect(fake.requests[0]?.path).toBe('/api/v1/label/cluster/values');
      expect(fake.requests[0]?.params.get('match[]')).toBe('{job=~"dcgm"}');
      expect(events[0]).toMatchObject({ endpoint: 'labels', outcome: 'ok', query: '{job=~"dcgm"}' });
    });

    it('rejects a bad label name or an oversized range before sending anything', async () => {
      expect((await failure(client().labelValues('a/../../x'))).code).toBe(ErrorCode.BAD_USER_INPUT);
      const start = new Date(0);
      expect(
        (await failure(client().range(up, { start, end: new Date(86_400_000), stepSeconds: 1 }))).code,
      ).toBe(ErrorCode.BAD_USER_INPUT);
      expect((await failure(client().range(up, { start, end: start, stepSeconds: 0 }))).code).toBe(
        ErrorCode.BAD_USER_INPUT,
      );
      expect(fake.requests).toHaveLength(0);
    });

    it('sends basic auth', async () => {
      await client({ cluster: { auth: { type: 'basic', username: 'u', password: 'p:w' } } }).instant(up);
      expect(fake.requests[0]?.headers.authorization).toBe(
        `Basic ${Buffer.from('u:p:w').toString('base64')}`,
      );
    });

    it('sends a bearer token', async () => {
      await client({ cluster: { auth: { type: 'bearer', token: 't0k' } } }).instant(up);
      expect(fake.requests[0]?.headers.authorization).toBe('Bearer t0k');
    });

    it('asks for uncompressed answers unless compression is on, and decodes gzip when it is', async () => {
      const body = {
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: { a: 'é' }, value: [1, '2'] }] },
      };
      fake.handler = (req, res) => {
        if (req.headers['accept-encoding'] !== 'gzip') return json(res, 200, body);
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync(JSON.stringify(body)));
      };
      expect(await client().instant(up)).toEqual([{ labels: { a: 'é' }, value: 2, timestampMs: 1000 }]);
      expect(await client({ compression: true }).instant(up)).toEqual([
        { labels: { a: 'é' }, value: 2, timestampMs: 1000 },
      ]);
      await client({ compression: true, cluster: { compression: false } }).instant(up);
      await client({ cluster: { compression: true, auth: { type: 'bearer', token: 't' } } }).instant(up);
      expect(fake.requests.map((r) => r.headers['accept-encoding'])).toEqual([
        'identity',
        'gzip',
        'identity',
        'gzip',
      ]);
      expect(fake.requests[3]?.headers.authorization).toBe('Bearer t');
    });

    it('keeps a label named __proto__ as plain data and refuses non-string label values', async () => {
      const raw = (metric: string) => (_req: unknown, res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          `{"status":"success","data":{"resultType":"vector","result":[{"metric":${metric},"value":[1,"2"]}]}}`,
        );
      };
      fake.handler = raw('{"__proto__":"x","job":"a"}');
      const [sample] = await client().instant(up);
      expect(Object.keys(sample?.labels ?? {})).toEqual(['__proto__', 'job']);
      expect(Object.getPrototypeOf(sample?.labels)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).job).toBeUndefined();
      fake.handler = raw('{"job":1}');
      expect((await failure(client().instant(up))).message).toMatch(/label 'job' is not a string/);
    });

    it('reports each logical request once to the hook, with its query and outcome', async () => {
      await client().instant(up);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        cluster: 'east',
        endpoint: 'query',
        query: up,
        outcome: 'ok',
        attempts: 1,
      });
      expect(events[0]?.durationSeconds).toBeGreaterThanOrEqual(0);
    });
  });

  describe('retries and failures', () => {
    it('retries 503 twice and then succeeds (3 calls)', async () => {
      let calls = 0;
      fake.handler = (_req, res) =>
        ++calls <= 2 ? json(res, 503, apiError('unavailable', 'busy')) : json(res, 200, vector([]));
      expect(await client().instant(up)).toEqual([]);
      expect(fake.requests).toHaveLength(3);
      expect(events).toEqual([expect.objectContaining({ outcome: 'ok', attempts: 3 })]);
    });

    it('gives up after the configured retries with CLUSTER_UNAVAILABLE naming the cluster', async () => {
      fake.handler = (_req, res) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>bad gateway</html>');
      };
      const error = await failure(client({ retries: 1 }).instant(up));
      expect(error).toBeInstanceOf(PrometheusUnavailableError);
      expect(error.code).toBe(ErrorCode.CLUSTER_UNAVAILABLE);
      expect(error.details).toEqual({ cluster: 'east' });
      expect(fake.requests).toHaveLength(2);
      expect(events).toEqual([expect.objectContaining({ outcome: 'error', attempts: 2 })]);
    });

    it.each([
      [400, 'bad_data', 'parse error at char 3'],
      [422, 'execution', 'many-to-many matching not allowed'],
    ])('does not retry HTTP %i %s', async (status, errorType, message) => {
      fake.handler = (_req, res) => json(res, status, apiError(errorType, message));
      const error = await failure(client().instant(up));
      expect(error).toBeInstanceOf(PrometheusQueryError);
      expect(error).toMatchObject({
        code: ErrorCode.UPSTREAM_ERROR,
        errorType,
        error: message,
        details: { cluster: 'east', errorType },
      });
      expect(fake.requests).toHaveLength(1);
    });

    it('does not retry a 401 and reports it as UPSTREAM_ERROR', async () => {
      fake.handler = (_req, res) => json(res, 401, { message: 'unauthorized' });
      expect(await failure(client().instant(up))).toMatchObject({
        code: ErrorCode.UPSTREAM_ERROR,
        errorType: 'http_401',
      });
      expect(fake.requests).toHaveLength(1);
    });

    it('times out without retrying when the server does not answer in time', async () => {
      fake.handler = () => undefined; // never answers
      const error = await failure(client({ timeoutMs: 50 }).instant(up));
      expect(error).toBeInstanceOf(PrometheusTimeoutError);
      expect(error).toMatchObject({ code: ErrorCode.UPSTREAM_TIMEOUT, details: { cluster: 'east' } });
      expect(fake.requests).toHaveLength(1);
    });

    it("treats Prometheus' own query timeout (503 errorType timeout) as a timeout, not retried", async () => {
      fake.handler = (_req, res) =>
        json(res, 503, apiError('timeout', 'query timed out in expression evaluation'));
      expect((await failure(client().instant(up))).code).toBe(ErrorCode.UPSTREAM_TIMEOUT);
      expect(fake.requests).toHaveLength(1);
    });

    it('retries a refused connection, then reports CLUSTER_UNAVAILABLE', async () => {
      const url = fake.url;
      await fake.stop();
      const c = client({ cluster: { url }, retries: 2 });
      const error = await failure(c.instant(up));
      expect(error).toBeInstanceOf(PrometheusUnavailableError);
      expect(error.message).toContain('ECONNREFUSED');
      expect(events).toEqual([expect.objectContaining({ outcome: 'error', attempts: 3 })]);
      fake = await FakePrometheus.start(); // afterEach stops it again
    });
  });

  describe('ready', () => {
    it('uses /-/ready when the endpoint has it', async () => {
      fake.handler = (_req, res) => res.end('Prometheus Server is Ready.');
      expect(await client().ready()).toBeGreaterThanOrEqual(0);
      expect(fake.requests.map((r) => r.path)).toEqual(['/-/ready']);
      expect(events).toEqual([expect.objectContaining({ endpoint: 'ready', outcome: 'ok' })]);
    });

    it('falls back to vector(1) when /-/ready is missing', async () => {
      fake.handler = (req, res) =>
        req.path === '/-/ready'
          ? json(res, 404, {})
          : json(res, 200, vector([{ metric: {}, value: [1, '1'] }]));
      expect(await client().ready()).toBeGreaterThanOrEqual(0);
      expect(fake.requests.map((r) => r.path)).toEqual(['/-/ready', '/api/v1/query']);
      expect(fake.queries()).toEqual(['vector(1)']);
    });

    it('fails when neither probe succeeds, without retrying', async () => {
      fake.handler = (_req, res) => json(res, 503, {});
      expect((await failure(client().ready())).code).toBe(ErrorCode.CLUSTER_UNAVAILABLE);
      expect(fake.requests).toHaveLength(2);
      expect(events).toEqual([expect.objectContaining({ endpoint: 'ready', outcome: 'error' })]);
    });
  });

  describe('hostile upstreams', () => {
    it('never follows a redirect: the credentials stay with the configured URL', async () => {
      const elsewhere = await FakePrometheus.start();
      try {
        fake.handler = (_req, res) => {
          res.writeHead(302, { location: `${elsewhere.url}/api/v1/query` });
          res.end();
        };
        const c = client({
          cluster: { auth: { type: 'bearer', token: 'cluster-token-9z' } } as Partial<ClusterConfig>,
        });
        const error = await failure(c.instant(up));
        expect(error).toBeInstanceOf(PrometheusQueryError);
        expect(error.message).toMatch(/HTTP 302: redirects are not followed/);
        expect(elsewhere.requests).toHaveLength(0);
        expect(fake.requests).toHaveLength(1);
      } finally {
        await elsewhere.stop();
      }
    });

    it('cuts off an answer above maxResponseBytes with a coded error, compressed or not, and counts bytes read', async () => {
      const big = JSON.stringify(vector([{ metric: { pad: 'x'.repeat(200_000) }, value: [1, '1'] }]));
      fake.handler = (req, res) => {
        const gzip = req.headers['accept-encoding'] === 'gzip';
        res.writeHead(200, {
          'content-type': 'application/json',
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        });
        res.end(gzip ? gzipSync(big) : big);
      };
      for (const compression of [false, true]) {
        const error = await failure(client({ maxResponseBytes: 100_000, compression }).instant(up));
        expect(error).toBeInstanceOf(PrometheusResponseTooLargeError);
        expect(error.code).toBe(ErrorCode.UPSTREAM_ERROR);
        expect(error.message).toMatch(/more than 100000 bytes \(PROMETHEUS_MAX_RESPONSE_BYTES\)/);
      }
      // Not retried: one request per client.
      expect(fake.requests).toHaveLength(2);
      expect(await client({ maxResponseBytes: 1_000_000 }).instant(up)).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ outcome: 'ok', responseBytes: Buffer.byteLength(big) });
    });

    it("aborts the upstream request when the caller's ambient signal fires, and releases the socket", async () => {
      let closed = false;
      fake.handler = (_req, res) => res.on('close', () => (closed = true));
      const caller = new AbortController();
      const pending = withUpstreamSignal(caller.signal, () => client({ timeoutMs: 10_000 }).instant(up));
      await new Promise((r) => setTimeout(r, 50));
      const started = performance.now();
      caller.abort();
      const error = await failure(pending);
      expect(error).toBeInstanceOf(PrometheusCancelledError);
      // Far below the request's own 10 s timeout (the shared CI host may stall for a while).
      expect(performance.now() - started).toBeLessThan(5_000);
      await new Promise((r) => setTimeout(r, 20));
      expect(closed).toBe(true);
    });
  });
});
