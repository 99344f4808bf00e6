import type { Type } from '@nestjs/common';
import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { NestedInput } from './nested-input.decorator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination';

/** Cursor pagination arguments of every list query (`first`, `after`); a list's args class extends it. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  after?: string;
}

/**
 * The args of a filtered list query: `first`, `after`, then an optional `filter` of the list's own input type
 * (validated nested). `class GpusArgs extends FilteredPageArgs(GpuFilterInput) {}`.
 */
export function FilteredPageArgs<F>(filter: Type<F>): Type<PageArgs & { filter?: F }> {
  @ArgsType()
  class FilteredPage extends PageArgs {
    @NestedInput(() => filter) filter?: F;
  }
  return FilteredPage;
}
