import 'reflect-metadata';

/** The decorators a hand-written resolver method would carry, written top-down as in the source. */
export interface ResolverMethodDecorators {
  /** `@UpstreamRead() @Query(…)`: applied bottom-up, as TypeScript does. */
  readonly method: readonly MethodDecorator[];
  /** One per parameter, by position: `(@Args() args, @CurrentField() field, …)`. */
  readonly params: readonly ParameterDecorator[];
  /**
   * The parameters' design types, as TypeScript would emit them (NestJS reads them, e.g. `@Args` to infer a type);
   * default `Object` for each, which is what it emits for interfaces and `X | undefined`.
   */
  readonly paramTypes?: readonly unknown[];
}

/**
 * Defines a method on a resolver class and applies its decorators in the order TypeScript applies them to a
 * hand-written method (parameters last to first, then the method's bottom-up), so NestJS builds the same schema and
 * the same parameter bindings. For queries or fields that are rows of a table and share one body: a new row is data,
 * not one more decorated copy.
 */
export function defineResolverMethod(
  resolver: abstract new (...args: never[]) => unknown,
  name: string,
  body: (...args: never[]) => unknown,
  decorators: ResolverMethodDecorators,
): void {
  const proto = resolver.prototype as object;
  Object.defineProperty(proto, name, { value: body, writable: true, configurable: true });
  // What emitDecoratorMetadata writes for a hand-written async method.
  Reflect.defineMetadata('design:type', Function, proto, name);
  Reflect.defineMetadata(
    'design:paramtypes',
    decorators.paramTypes ?? decorators.params.map(() => Object),
    proto,
    name,
  );
  Reflect.defineMetadata('design:returntype', Promise, proto, name);
  for (let i = decorators.params.length - 1; i >= 0; i--) decorators.params[i]!(proto, name, i);
  const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
  for (const decorate of [...decorators.method].reverse()) decorate(proto, name, descriptor);
}
