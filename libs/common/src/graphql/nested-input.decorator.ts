import { applyDecorators, type Type as ClassType } from '@nestjs/common';
import { Field } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';

/**
 * A field holding another input object (a filter, a time range, a nested setting), validated with that object's own
 * class-validator rules: class-transformer must build the instance (`Type`) for `ValidateNested` to reach its bounds.
 * Optional (nullable) unless `required`.
 */
export function NestedInput(
  type: () => ClassType<unknown>,
  options: { readonly required?: boolean; readonly description?: string } = {},
): PropertyDecorator {
  const optional = options.required !== true;
  return applyDecorators(
    Field(type, {
      nullable: optional,
      ...(options.description ? { description: options.description } : {}),
    }),
    ...(optional ? [IsOptional()] : []),
    ValidateNested(),
    Type(type),
  );
}
