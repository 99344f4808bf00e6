import { badInput, notFound } from '@kcloud/common';
import { gpuKey } from '@kcloud/metrics-source';

/**
 * The one device `id` names among the devices read for its UUID: the GPU by UUID, or one MIG instance by
 * `UUID/instanceId`. A bare UUID of a MIG-sliced GPU is ambiguous; nothing found (and no cluster failed) is NOT_FOUND.
 */
export function pickGpu<T>(
  id: string,
  items: readonly T[],
  sampleOf: (item: T) => { readonly uuid: string; readonly migInstanceId?: string },
  clustersFailed: boolean,
): T | null {
  const [uuid, instance] = id.split('/', 2);
  const matches =
    instance === undefined ? items : items.filter((i) => sampleOf(i).migInstanceId === instance);
  if (matches.length > 1 && instance === undefined) {
    throw badInput(
      'uuid',
      `GPU ${uuid} is MIG-sliced; ask for one instance: ${matches.map((m) => gpuKey(sampleOf(m))).join(', ')}`,
    );
  }
  if (!matches.length && !clustersFailed) throw notFound('GPU', id);
  return matches[0] ?? null;
}

/** The UUID part of a GPU id; an empty one is refused before anything is read. */
export function uuidOf(id: string): string {
  const [uuid] = id.split('/', 2);
  if (!uuid) throw badInput('uuid', 'uuid must not be empty');
  return uuid;
}
