/** The stable id of one GPU or MIG instance, the same one the API uses: `uuid`, or `uuid/migInstanceId`. */
export function gpuKeyOf(g: { readonly uuid: string; readonly migInstanceId?: string }): string {
  return g.migInstanceId ? `${g.uuid}/${g.migInstanceId}` : g.uuid;
}
