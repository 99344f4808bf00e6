import { registerEnumType } from '@nestjs/graphql';
import { ExportDatasetName } from '../datasets/export-dataset.enum';
import { ExportFormat } from '../formats/export-format';
import { PowerExportSourceName } from '../datasets/power-export-source';

registerEnumType(ExportDatasetName, {
  name: 'ExportDataset',
  description:
    'gpus (current values), scores (analyzer results), power (GPU board W by cluster/node/namespace, or the powerSource asked: Kepler node or pod, IPMI, unified), node-power (whole-node W by node: IPMI server input, Kepler platform, components), metrics (GPU time series), report (summary document: json, xlsx, pdf)',
});
registerEnumType(ExportFormat, {
  name: 'ExportFormat',
  description: 'json (array), ndjson, csv (RFC 4180), parquet, arrow (IPC stream), xlsx, pdf',
});

registerEnumType(PowerExportSourceName, {
  name: 'PowerExportSource',
  description:
    'What the power dataset reads: GPU (DCGM board power, the default), NODE (Kepler node components), POD (Kepler pod power), IPMI (BMC server input per node), UNIFIED (whole-node power by cluster and resource type, facility power, PUE); NODE, IPMI and UNIFIED are node-wide',
});

export { ExportDatasetName, ExportFormat, PowerExportSourceName };
