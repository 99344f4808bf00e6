import { registerEnumType } from '@nestjs/graphql';
import { ExportDatasetName } from '../datasets/export-dataset.enum';
import { ExportFormat } from '../formats/export-format';

registerEnumType(ExportDatasetName, {
  name: 'ExportDataset',
  description:
    'gpus (current values), scores (analyzer results), power (GPU board W by cluster/node/namespace), node-power (whole-node W by node: IPMI server input, Kepler platform, components), metrics (GPU time series), report (summary document: json, xlsx, pdf)',
});
registerEnumType(ExportFormat, {
  name: 'ExportFormat',
  description: 'json (array), ndjson, csv (RFC 4180), parquet, arrow (IPC stream), xlsx, pdf',
});

export { ExportDatasetName, ExportFormat };
