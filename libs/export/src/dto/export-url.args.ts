import { ArgsType, Field } from '@nestjs/graphql';
import { IsEnum, IsOptional } from 'class-validator';
import { NestedInput, TimeRangeInput } from '@kcloud/common';
import { ExportDatasetName, ExportFormat, PowerExportSourceName } from '../models/export-enums.model';
import { ExportFilterInput } from './export-filter.input';

@ArgsType()
export class ExportUrlArgs {
  @Field(() => ExportDatasetName)
  @IsEnum(ExportDatasetName)
  dataset!: ExportDatasetName;

  @Field(() => ExportFormat)
  @IsEnum(ExportFormat)
  format!: ExportFormat;

  @NestedInput(() => TimeRangeInput, { description: 'Absent: the last hour, step chosen by the server' })
  range?: TimeRangeInput;

  @NestedInput(() => ExportFilterInput)
  filter?: ExportFilterInput;

  @Field(() => PowerExportSourceName, {
    nullable: true,
    description: 'power only: what it reads (absent: GPU board power); other datasets refuse it',
  })
  @IsOptional()
  @IsEnum(PowerExportSourceName)
  powerSource?: PowerExportSourceName;
}
