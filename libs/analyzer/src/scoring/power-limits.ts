/**
 * Board power limits (W) of common data-centre GPUs, by NVML model name, for clusters whose dcgm-exporter does not
 * export DCGM_FI_DEV_POWER_MGMT_LIMIT (it is not in the shipped CSVs). Vendor TDP of the default configuration.
 */
const TDP_WATTS: readonly (readonly [string, number])[] = [
  ['NVIDIA H200', 700],
  ['NVIDIA H100 80GB HBM3', 700],
  ['NVIDIA H100 PCIe', 350],
  ['NVIDIA H100 NVL', 400],
  ['NVIDIA A100-SXM4-80GB', 400],
  ['NVIDIA A100-SXM4-40GB', 400],
  ['NVIDIA A100 80GB PCIe', 300],
  ['NVIDIA A100-PCIE-40GB', 250],
  ['NVIDIA A30', 165],
  ['NVIDIA A10', 150],
  ['NVIDIA A40', 300],
  ['NVIDIA L40S', 350],
  ['NVIDIA L40', 300],
  ['NVIDIA L4', 72],
  ['Tesla T4', 70],
  ['Tesla V100-SXM2-32GB', 300],
  ['Tesla V100-SXM2-16GB', 300],
  ['Tesla V100-PCIE-32GB', 250],
  ['Tesla V100S-PCIE-32GB', 250],
  ['NVIDIA GeForce RTX 4090', 450],
  ['NVIDIA RTX A6000', 300],
];

// dcgm-exporter's --replace-blanks-in-model-name turns blanks into dashes; compare names with both folded alike.
const normalise = (model: string): string =>
  model
    .trim()
    .replace(/[\s-]+/g, '-')
    .toLowerCase();
const BY_NAME: ReadonlyMap<string, number> = new Map(
  TDP_WATTS.map(([name, watts]) => [normalise(name), watts]),
);

/** The table's limit for a model, matched as NVML prints the name or with blanks replaced by dashes. */
export function modelTdpWatts(model: string): number | undefined {
  return BY_NAME.get(normalise(model));
}
