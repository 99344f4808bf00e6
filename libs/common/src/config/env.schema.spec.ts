import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import { EnvSchema } from './env.schema';
import fixture from './env-schema.fixture.json';

/**
 * The per-domain classes composed into EnvSchema must accept, default and refuse exactly what the single class did
 * (env-schema.fixture.json was written from it before the split): a variable lost in a domain file, a changed default
 * or message, or a domain composed in another order (refusals list variables in declaration order) fails here.
 */
function problemsOf(vars: Readonly<Record<string, string>>): readonly string[] {
  try {
    loadConfig(vars);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(vars)}`);
}

describe('EnvSchema composed per domain', () => {
  it('declares every variable the single class declared, in the same order', () => {
    const declared = getMetadataStorage()
      .getTargetValidationMetadatas(EnvSchema, '', false, false)
      .map((m) => m.propertyName);
    expect([...new Set(declared)]).toEqual(fixture.variables.map((v) => v.name));
  });

  it('gives every variable the same default', () => {
    const defaults = plainToInstance(EnvSchema, {}, { exposeDefaultValues: true }) as unknown as Record<
      string,
      unknown
    >;
    const actual = Object.fromEntries(fixture.variables.map((v) => [v.name, defaults[v.name] ?? null]));
    expect(actual).toEqual(Object.fromEntries(fixture.variables.map((v) => [v.name, v.default])));
  });

  it.each(fixture.variables.map((v) => [v.name, v.accepted] as const))(
    'parses %s from its env string as before',
    (name, accepted) => {
      const env = plainToInstance(EnvSchema, { [name]: accepted.value }, { exposeDefaultValues: true });
      expect(validateSync(env)).toEqual([]);
      expect((env as unknown as Record<string, unknown>)[name]).toEqual(accepted.parsed);
    },
  );

  it.each(fixture.variables.flatMap((v) => (v.refused ? [[v.name, v.refused] as const] : [])))(
    'refuses a bad %s with the same problems',
    (name, refused) => {
      expect(problemsOf({ [name]: refused.value })).toEqual(refused.problems);
    },
  );

  it('lists every bad variable at once, in the same order', () => {
    expect(problemsOf(fixture.allRefused.values)).toEqual(fixture.allRefused.problems);
  });

  it('accepts the defaults (no variable set)', () => {
    expect(loadConfig({}).env.PORT).toBe(3000);
  });
});
