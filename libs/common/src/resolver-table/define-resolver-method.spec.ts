import 'reflect-metadata';
import { defineResolverMethod } from './define-resolver-method';

class Target {
  constructor(readonly base: number) {}
}

describe('defineResolverMethod', () => {
  it('defines the method with its body and applies parameter then method decorators as TypeScript does', () => {
    const applied: string[] = [];
    const param =
      (label: string): ParameterDecorator =>
      (_proto, key, index) =>
        applied.push(`${label}:${String(key)}:${index}`);
    const method =
      (label: string): MethodDecorator =>
      (_proto, key, descriptor) => {
        applied.push(`${label}:${String(key)}:${typeof descriptor.value}`);
      };
    defineResolverMethod(
      Target,
      'plus',
      function (this: Target, n: number) {
        return this.base + n;
      },
      { method: [method('outer'), method('inner')], params: [param('first'), param('second')] },
    );
    expect((new Target(40) as Target & { plus(n: number): number }).plus(2)).toBe(42);
    expect(applied).toEqual(['second:plus:1', 'first:plus:0', 'inner:plus:function', 'outer:plus:function']);
  });

  it('writes the design types TypeScript would emit, which NestJS reads to bind @Args', () => {
    defineResolverMethod(Target, 'twice', () => Promise.resolve(0), {
      method: [],
      params: [() => undefined],
    });
    expect(Reflect.getMetadata('design:paramtypes', Target.prototype, 'twice')).toEqual([Object]);
    expect(Reflect.getMetadata('design:returntype', Target.prototype, 'twice')).toBe(Promise);
  });
});
