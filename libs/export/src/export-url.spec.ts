import { ExportDatasetName } from './datasets/export-dataset.enum';
import { exportPath } from './export-url';
import { ExportFormat } from './formats/export-format';

describe('exportPath', () => {
  it('carries the power source as ?source= and leaves it out when none is asked', () => {
    const link = { dataset: ExportDatasetName.POWER, format: ExportFormat.CSV, clusters: ['east'] };
    expect(exportPath({ ...link, powerSource: 'unified' })).toBe(
      '/api/v1/export/power?format=csv&cluster=east&source=unified',
    );
    expect(exportPath(link)).toBe('/api/v1/export/power?format=csv&cluster=east');
  });
});
