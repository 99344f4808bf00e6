import { Args, Query, Resolver } from '@nestjs/graphql';
import type { PowerExportSource } from './datasets/power-export-source';
import { ExportUrlArgs } from './dto/export-url.args';
import { ExportService } from './export.service';

@Resolver()
export class ExportUrlResolver {
  constructor(private readonly exports: ExportService) {}

  @Query(() => String, {
    description:
      'The download path (GET, relative to the API origin) for a dataset in a format: /api/v1/export/<dataset>?format=…',
  })
  exportUrl(@Args() args: ExportUrlArgs): string {
    return this.exports.exportUrl({
      dataset: args.dataset,
      format: args.format,
      from: args.range?.from,
      to: args.range?.to,
      stepSeconds: args.range?.stepSeconds ?? undefined,
      clusters: args.filter?.clusters,
      namespaces: args.filter?.namespaces,
      clusterLabels: args.filter?.clusterLabels,
      ...(args.powerSource ? { powerSource: args.powerSource as PowerExportSource } : {}),
    });
  }
}
