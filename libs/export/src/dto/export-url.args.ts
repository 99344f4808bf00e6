import { ArgsType, Field } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { TimeRangeInput } from '@kcloud/common';
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

  @Field(() => TimeRangeInput, {
    nullable: true,
    description: 'Absent: the last hour, step chosen by the server',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => TimeRangeInput)
  range?: TimeRangeInput;

  @Field(() => ExportFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExportFilterInput)
  filter?: ExportFilterInput;

  @Field(() => PowerExportSourceName, {
    nullable: true,
    description: 'power only: what it reads (absent: GPU board power); other datasets refuse it',
  })
  @IsOptional()
  @IsEnum(PowerExportSourceName)
  powerSource?: PowerExportSourceName;
}
