import type { FleetModel, SimGpuExporter, SimNpu } from '@kcloud/fleet-model';

import { renderAllSmi } from './exposition/all-smi';
import { renderFuriosa } from './exposition/furiosa';
import { renderNvidiaSmi } from './exposition/nvidia-smi';
import { renderNvidiaGpu } from './exposition/nvidia-gpu';
import { renderRbln } from './exposition/rbln';
import type { FleetSimTarget } from './targets';

/**
 * The accelerator exporters besides dcgm-exporter: the alternative GPU exporters a scenario can pick per cluster
 * (`gpuExporter`), and the NPU exporters of the nodes that carry cards. All run per node, like their DaemonSets;
 * all-smi and the NPU exporters name their host, so a per-cluster body (`/metrics/<cluster>/<exporter>`) is served
 * too. nvidia_gpu_exporter does not, so it is served per node only.
 */
export type AcceleratorExporter = 'all-smi' | 'nvidia-smi' | 'nvidia-gpu' | 'furiosa' | 'rbln';
const EXPORTERS: readonly AcceleratorExporter[] = ['all-smi', 'nvidia-smi', 'nvidia-gpu', 'furiosa', 'rbln'];

export function isAcceleratorExporter(value: string | undefined): value is AcceleratorExporter {
  return (EXPORTERS as readonly (string | undefined)[]).includes(value);
}

export function acceleratorTargetPath(cluster: string, exporter: AcceleratorExporter, node?: string): string {
  const base = `/metrics/${encodeURIComponent(cluster)}/${exporter}`;
  return node === undefined ? base : `${base}/${encodeURIComponent(node)}`;
}

/** The vendor exporter of a card; TPUs have none (only all-smi reports them). */
const NPU_EXPORTER: Readonly<Record<SimNpu['vendor'], AcceleratorExporter | undefined>> = {
  furiosa: 'furiosa',
  rebellions: 'rbln',
  google: undefined,
};

/** The scrape body of one accelerator target, or what was not found. */
export function renderAcceleratorTarget(
  model: FleetModel,
  cluster: string,
  exporter: AcceleratorExporter,
  node: string | undefined,
  atMs: number,
): { body: string } | { notFound: string } {
  const allSmiNpus = model.npuExporter(cluster) === 'all-smi';
  if (exporter === 'furiosa' || exporter === 'rbln') {
    if (allSmiNpus)
      return { notFound: `${exporter} target: all-smi reports the NPU cards of cluster ${cluster}` };
    const npus = (
      node === undefined ? model.npus(cluster, atMs) : model.nodeNpus(cluster, node, atMs)
    ).filter((n) => NPU_EXPORTER[n.vendor] === exporter);
    if (npus.length === 0)
      return { notFound: `${exporter} cards in cluster ${cluster}${node ? ` on node ${node}` : ''}` };
    return { body: exporter === 'furiosa' ? renderFuriosa(npus, atMs) : renderRbln(npus) };
  }
  const runs = model.gpuExporter(cluster);
  if (gpuExporterOf(runs) !== exporter)
    return { notFound: `${exporter} target: cluster ${cluster} runs ${runs}` };
  if (node === undefined && exporter === 'nvidia-smi')
    return { notFound: 'nvidia-smi cluster body (nvidia_gpu_exporter names no host: scrape it per node)' };
  if (node !== undefined && !model.hasNode(cluster, node))
    return { notFound: `node ${node} in cluster ${cluster}` };
  const onNode = <T extends { node: string }>(rows: readonly T[]): T[] =>
    node === undefined ? [...rows] : rows.filter((r) => r.node === node);
  const gpus = onNode(model.reportedGpus(cluster, atMs));
  const processes = onNode(model.gpuProcesses(cluster, atMs));
  const npus = allSmiNpus ? onNode(model.npus(cluster, atMs)) : [];
  return {
    body:
      exporter === 'nvidia-smi'
        ? renderNvidiaSmi(gpus, processes)
        : exporter === 'nvidia-gpu'
          ? renderNvidiaGpu(gpus)
          : renderAllSmi(gpus, processes, runs === 'all-smi-v0.20' ? 'v0.20' : 'current', npus),
  };
}

/** Per-node targets of the cluster's alternative GPU exporter (if it runs one) and of its NPU exporters. */
export function acceleratorTargets(model: FleetModel, cluster: string): FleetSimTarget[] {
  const gpuExporter = gpuExporterOf(model.gpuExporter(cluster));
  const allSmiNpus = model.npuExporter(cluster) === 'all-smi';
  const npuNodes = new Set(model.npus(cluster).map((n) => n.node));
  const gpuTargets = gpuExporter
    ? model
        .nodes(cluster)
        .filter((n) => n.gpuCount > 0 || (allSmiNpus && npuNodes.has(n.name)))
        .map((n) => target(cluster, gpuExporter, n.name))
    : [];
  const npuTargets = new Map<string, FleetSimTarget>();
  for (const npu of allSmiNpus ? [] : model.npus(cluster)) {
    const exporter = NPU_EXPORTER[npu.vendor];
    if (!exporter) continue;
    npuTargets.set(`${exporter}/${npu.node}`, target(cluster, exporter, npu.node));
  }
  return [...gpuTargets, ...npuTargets.values()];
}

/** The route that serves a scenario's GPU exporter (both all-smi generations share one); dcgm has its own. */
function gpuExporterOf(runs: SimGpuExporter): AcceleratorExporter | undefined {
  switch (runs) {
    case 'dcgm':
      return undefined;
    case 'all-smi':
    case 'all-smi-v0.20':
      return 'all-smi';
    case 'nvidia-smi':
      return 'nvidia-smi';
    case 'nvidia-gpu':
      return 'nvidia-gpu';
  }
}

function target(cluster: string, exporter: AcceleratorExporter, node: string): FleetSimTarget {
  return { cluster, exporter, scope: 'node', node, path: acceleratorTargetPath(cluster, exporter, node) };
}
