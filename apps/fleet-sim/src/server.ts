import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { FleetModelError, simContainerUsage, simHost } from '@kcloud/fleet-model';
import type { FleetModel } from '@kcloud/fleet-model';

import {
  applyBlank,
  applyFault,
  applyFreeze,
  applyRemoveGpu,
  applySetPattern,
  applyTargetState,
} from './control';
import {
  DcgmLabelCache,
  EXPOSITION_CONTENT_TYPE,
  renderDcgm,
  renderCadvisor,
  renderKubeStateMetrics,
  renderNodeExporter,
} from './exposition';
import type { HostnameLabel } from './exposition';
import { httpSdGroups, listTargets } from './targets';
import { isPowerExporter, renderPowerTarget } from './power-targets';
import { isAcceleratorExporter, renderAcceleratorTarget } from './accelerator-targets';
import { TargetOutages } from './target-outages';

export interface FleetSimOptions {
  readonly model: FleetModel;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly hostnameLabel?: HostnameLabel;
  readonly powerLimit?: boolean;
}

export interface RunningFleetSim {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Control bodies are tiny; anything larger is a mistake or abuse. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Serves the model as exporter targets (node:http only, values rendered at request time) plus a small control API.
 * Routes: GET /healthz, GET /targets[?format=http_sd[&dcgm=node|cluster]], GET /metrics/<cluster>/dcgm[/<node>],
 * GET /metrics/<cluster>/kube-state-metrics, POST /control/pattern, POST /control/remove, POST /control/blank (a
 * family of one device served as a blank or impossible value, see control.ts), POST /control/freeze (a GPU's
 * readings stop changing), POST /control/fault (XID, ECC, clock-event and link faults of a GPU), POST /control/target
 * (a scrape path answers 503 or drops the connection); the power side (Kepler,
 * ipmi_exporter, facility meter) is in power-targets.ts, all-smi, nvidia_gpu_exporter and the NPU exporters in
 * accelerator-targets.ts.
 */
export function startFleetSim(options: FleetSimOptions): Promise<RunningFleetSim> {
  const { model, port = 0, host = '127.0.0.1' } = options;
  const render = {
    hostnameLabel: options.hostnameLabel ?? 'Hostname',
    powerLimit: options.powerLimit ?? true,
  };
  const labelCache = new DcgmLabelCache();
  const outages = new TargetOutages();

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => sendError(res, err));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fleet-sim');
    const segments = url.pathname
      .split('/')
      .filter((s) => s.length > 0)
      .map(decodeURIComponent);
    const route = `${req.method ?? 'GET'} ${segments[0] ?? ''}`;

    if (route === 'GET healthz' && segments.length === 1)
      return send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
    if (route === 'GET targets' && segments.length === 1) {
      const targets = listTargets(model);
      if (url.searchParams.get('format') !== 'http_sd') return sendJson(res, 200, targets);
      const scope = url.searchParams.get('dcgm') === 'cluster' ? 'cluster' : 'node';
      return sendJson(res, 200, httpSdGroups(targets, req.headers.host ?? `${host}:${port}`, scope));
    }
    if (route === 'GET metrics') {
      const outage = outages.of(url.pathname);
      // A refused scrape: the connection closes without an answer, as when the exporter process is gone.
      if (outage === 'refused') return void req.socket.destroy();
      if (outage === 'unavailable')
        return send(res, 503, 'text/plain; charset=utf-8', 'exporter unavailable\n');
      return serveMetrics(res, segments.slice(1));
    }
    if (route === 'POST control' && segments.length === 2) {
      const body = await readJson(req);
      if (segments[1] === 'pattern') applySetPattern(model, body);
      else if (segments[1] === 'remove') applyRemoveGpu(model, body);
      else if (segments[1] === 'blank') applyBlank(model, body);
      else if (segments[1] === 'freeze') applyFreeze(model, body);
      else if (segments[1] === 'fault') applyFault(model, body);
      else if (segments[1] === 'target') applyTargetState(outages, body);
      else return notFound(res, url.pathname);
      res.writeHead(204).end();
      return;
    }
    return notFound(res, url.pathname);
  }

  function serveMetrics(res: ServerResponse, [cluster, exporter, node, ...rest]: string[]): void {
    if (!cluster || !model.clusters().includes(cluster)) return notFound(res, `cluster ${cluster ?? ''}`);
    // Every exporter body passes the blank rules (a no-op unless a test or demo set one).
    const serve = (body: string) =>
      send(res, 200, EXPOSITION_CONTENT_TYPE, model.blanks.apply(body, { cluster, node }));
    const now = Date.now();
    if (exporter === 'kube-state-metrics' && node === undefined) {
      return serve(renderKubeStateMetrics(model.nodes(cluster), model.pods(cluster)));
    }
    if (isPowerExporter(exporter) && rest.length === 0) {
      const power = renderPowerTarget(model, cluster, exporter, node, now);
      return 'body' in power ? serve(power.body) : notFound(res, power.notFound);
    }
    if (exporter === 'node-exporter' && node !== undefined && rest.length === 0) {
      // node_exporter runs per host: `node-exporter/<node>` only.
      if (!model.hasNode(cluster, node)) return notFound(res, `node ${node} in cluster ${cluster}`);
      return serve(renderNodeExporter(simHost(cluster, node, now)));
    }
    if (exporter === 'cadvisor' && node !== undefined && rest.length === 0) {
      // cAdvisor is the kubelet's, per node: `cadvisor/<node>` serves the containers of that node's running pods.
      if (!model.hasNode(cluster, node)) return notFound(res, `node ${node} in cluster ${cluster}`);
      const pods = model.pods(cluster).filter((p) => p.node === node);
      return serve(renderCadvisor(pods.flatMap((p) => simContainerUsage(p, now))));
    }
    if (isAcceleratorExporter(exporter) && rest.length === 0) {
      const accel = renderAcceleratorTarget(model, cluster, exporter, node, now);
      return 'body' in accel ? serve(accel.body) : notFound(res, accel.notFound);
    }
    if (exporter !== 'dcgm' || rest.length > 0) return notFound(res, `exporter ${exporter ?? ''}`);
    if (node !== undefined && !model.hasNode(cluster, node))
      return notFound(res, `node ${node} in cluster ${cluster}`);
    const gpus = node === undefined ? model.gpus(cluster, now) : model.nodeGpus(cluster, node, now);
    serve(renderDcgm(gpus, { ...render, allHealthCounters: model.dcgmAllHealthCounters, labelCache }));
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      resolve({
        port: bound,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            // Prometheus keeps scrape connections alive; without this close() waits for them to time out.
            server.closeAllConnections();
          }),
      });
    });
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function notFound(res: ServerResponse, what: string): void {
  sendJson(res, 404, {
    code: 'NOT_FOUND',
    message: `fleet-sim: no such ${what.startsWith('/') ? `route ${what}` : what}`,
  });
}

function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) return void res.destroy();
  if (err instanceof FleetModelError)
    return sendJson(res, err.code === 'NOT_FOUND' ? 404 : 400, { code: err.code, message: err.message });
  if (err instanceof URIError)
    return sendJson(res, 400, { code: 'BAD_USER_INPUT', message: 'malformed URL escape' });
  sendJson(res, 500, { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new FleetModelError('BAD_USER_INPUT', `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new FleetModelError('BAD_USER_INPUT', 'body is not valid JSON');
  }
}
