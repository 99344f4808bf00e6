import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { HTTP_URL, toBool } from './env-parsers';

/** The bounds of a numeric variable, stated where it is declared; `optional`: unset leaves it undefined. */
export interface NumericEnvOptions {
  readonly min?: number;
  readonly max?: number;
  readonly optional?: boolean;
}

/**
 * Applies decorators written in the order a hand-written stack would list them. A stack runs bottom-up, so
 * class-validator registers (and a boot refusal lists) `Max` before `Min` before `IsInt`; `applyDecorators` runs its
 * list in order, hence the reverse — the refusal messages keep the order env.schema.spec's fixture records.
 */
function stack(topToBottom: readonly (PropertyDecorator | false)[]): PropertyDecorator {
  const present = topToBottom.filter((d): d is PropertyDecorator => d !== false);
  return applyDecorators(...present.reverse());
}

function numeric(isKind: PropertyDecorator, o: NumericEnvOptions): PropertyDecorator {
  return stack([
    o.optional === true && IsOptional(),
    Type(() => Number),
    isKind,
    o.min !== undefined && Min(o.min),
    o.max !== undefined && Max(o.max),
  ]);
}

/** A whole number parsed from its env string, within [min, max]. */
export const IntEnv = (o: NumericEnvOptions): PropertyDecorator => numeric(IsInt(), o);

/** A number (fractions allowed) parsed from its env string, within [min, max]. */
export const NumberEnv = (o: NumericEnvOptions): PropertyDecorator => numeric(IsNumber(), o);

/** `true`/`false` or `1`/`0` (see toBool); anything else is refused. */
export const BoolEnv = (o: { readonly optional?: boolean } = {}): PropertyDecorator =>
  stack([o.optional === true && IsOptional(), Transform(toBool), IsBoolean()]);

/** Free text; `optional`: unset leaves it undefined (or at its default). */
export const StringEnv = (o: { readonly optional?: boolean } = {}): PropertyDecorator =>
  stack([o.optional === true && IsOptional(), IsString()]);

/** One of a fixed list of words; unset keeps the declared default. */
export const OneOfEnv = (values: readonly unknown[]): PropertyDecorator =>
  stack([IsOptional(), IsIn(values)]);

/** An optional http(s) endpoint (internal host names without a TLD allowed), refused as `<NAME> must be an http(s) URL`. */
export const HttpUrlEnv = (): PropertyDecorator =>
  stack([IsOptional(), IsUrl(HTTP_URL, { message: ({ property }) => `${property} must be an http(s) URL` })]);
