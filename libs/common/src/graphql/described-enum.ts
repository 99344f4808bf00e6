import { registerEnumType } from '@nestjs/graphql';

/**
 * Registers a GraphQL enum whose every value carries a description. `values` is typed over all the enum's keys
 * (registerEnumType's own valuesMap is partial), so a value added to the enum without a description does not compile.
 */
export function registerDescribedEnum<E extends object>(
  enumRef: E,
  options: {
    readonly name: string;
    readonly description: string;
    readonly values: { readonly [K in keyof E]: string };
  },
): void {
  const valuesMap: Partial<Record<keyof E, { description: string }>> = {};
  for (const key of Object.keys(options.values) as (keyof E)[])
    valuesMap[key] = { description: options.values[key] };
  registerEnumType(enumRef, { name: options.name, description: options.description, valuesMap });
}
