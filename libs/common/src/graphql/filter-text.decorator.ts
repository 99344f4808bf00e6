import { applyDecorators } from '@nestjs/common';
import { Field, ID } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';

/** The longest value a filter takes: a DNS name's limit, which covers every Kubernetes name. */
export const FILTER_TEXT_MAX_LENGTH = 253;

/**
 * An optional exact-match filter field: any printable text up to FILTER_TEXT_MAX_LENGTH characters, escaped by the
 * PromQL builder before it reaches a query. `id: true` types it `ID` (device UUIDs).
 */
export function FilterText(
  options: { readonly id?: boolean; readonly description?: string } = {},
): PropertyDecorator {
  return applyDecorators(
    Field(() => (options.id ? ID : String), {
      nullable: true,
      ...(options.description ? { description: options.description } : {}),
    }),
    IsOptional(),
    IsString(),
    MaxLength(FILTER_TEXT_MAX_LENGTH),
  );
}

/**
 * An optional list-valued filter (`clusters: [String!]`-style, values OR-ed): at most `maxItems` values, each text up
 * to FILTER_TEXT_MAX_LENGTH characters. Bounded because every value becomes a PromQL matcher or a per-event check.
 */
export function FilterTextList(options: {
  readonly maxItems: number;
  readonly description?: string;
}): PropertyDecorator {
  return applyDecorators(
    Field(() => [String], {
      nullable: true,
      ...(options.description ? { description: options.description } : {}),
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(options.maxItems),
    IsString({ each: true }),
    MaxLength(FILTER_TEXT_MAX_LENGTH, { each: true }),
  );
}
