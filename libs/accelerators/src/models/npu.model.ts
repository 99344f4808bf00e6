import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { Accelerator, type AcceleratorKind } from './accelerator.model';

@ObjectType({
  implements: () => [Accelerator],
  description:
    'An NPU card: FuriosaAI RNGD/Warboy (furiosa-metrics-exporter) or Rebellions ATOM (rbln-metrics-exporter), or an ' +
    'NPU/TPU device row of all-smi on a cluster whose gpuExporter is all-smi (model = all-smi device name, vendor from ' +
    'it; no tenant, PCI id, cores or health). ' +
    'A field is null when the vendor exporter does not report it (Furiosa: memory; Rebellions: ambient sensor, PCI id)',
})
export class Npu implements Accelerator {
  id!: string;
  kind!: AcceleratorKind.NPU;
  vendor!: string;
  uuid!: string;
  model!: string;
  cluster!: string;
  node!: string;
  index!: number;
  namespace?: string;
  pod?: string;
  container?: string;
  utilizationPercent?: number;
  memoryUsedMiB?: number;
  memoryTotalMiB?: number;
  powerWatts?: number;
  temperatureCelsius?: number;
  observedAt!: Date;

  @Field({ description: 'Exporter device name, e.g. npu0 or rbln0' }) device!: string;
  @Field(() => String, { nullable: true }) pciBusId?: string;
  @Field(() => String, { nullable: true }) driverVersion?: string;
  @Field(() => String, { nullable: true }) firmwareVersion?: string;
  @Field(() => Int, { nullable: true, description: 'Processing elements (Furiosa)' }) coreCount?: number;
  @Field(() => Float, { nullable: true, description: 'Board (ambient) temperature (Furiosa)' })
  ambientTemperatureCelsius?: number;
  @Field(() => Boolean, { nullable: true, description: 'Alive / healthy as the exporter reports it' })
  healthy?: boolean;
}
