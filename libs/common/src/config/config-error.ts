import { redactSecrets } from '../redact';

/**
 * Thrown at boot with one line naming every bad variable and why; main.ts prints it and exits 1. Every problem is
 * redacted (URL credentials, tokens), whoever wrote it: the line ends up in logs and crash reports.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const redacted = problems.map(redactSecrets);
    super(`Invalid configuration: ${redacted.join('; ')}`);
    this.problems = redacted;
    this.name = 'ConfigError';
  }
}
