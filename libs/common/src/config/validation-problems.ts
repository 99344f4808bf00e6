import type { ValidationError } from 'class-validator';
import { redactSecrets } from '../redact';

/** One `VARIABLE: message (got "value")` line per failed constraint, nested properties prefixed with their path. */
export function describeValidationError(
  error: ValidationError,
  source: Record<string, unknown>,
  prefix = '',
): string[] {
  const own = Object.values(error.constraints ?? {}).map((m) => {
    const raw = source[error.property];
    // Credential variables are never echoed; others are, with URL userinfo and tokens blanked.
    const shown =
      typeof raw === 'string' && !/PASSWORD|TOKEN|SECRET|KEY/i.test(error.property)
        ? ` (got "${redactSecrets(raw)}")`
        : '';
    return `${prefix}${error.property}: ${m}${shown}`;
  });
  const nested = (error.children ?? []).flatMap((c) =>
    describeValidationError(c, {}, `${prefix}${error.property}.`),
  );
  return [...own, ...nested];
}
