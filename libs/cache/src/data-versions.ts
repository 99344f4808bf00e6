import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/**
 * Versions of the data answers are built from. Owners either register a reader of their own version (the analyzer's
 * installed results) or bump a named counter (a snapshot re-read, a mutation). `token()` changes whenever any of them
 * does, so a whole answer cached under an older token is never served again. The boot id keeps tokens of different
 * processes apart: their counters say nothing about each other's data, so a shared Redis never mixes them.
 */
@Injectable()
export class DataVersions {
  private readonly boot = randomUUID().slice(0, 8);
  private readonly readers = new Map<string, () => number>();
  private readonly counters = new Map<string, number>();
  private readonly typeCounters = new Map<string, number>();

  register(name: string, read: () => number): void {
    this.readers.set(name, read);
  }

  bump(name: string): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + 1);
  }

  /**
   * A change confined to the data behind some GraphQL types (a snooze changes ReclaimRecommendation rows only): only
   * answers that select one of them get a new key (typeToken), the others stay.
   */
  touched(types: readonly string[]): void {
    for (const type of types) this.typeCounters.set(type, (this.typeCounters.get(type) ?? 0) + 1);
  }

  /** The versions of the touched types among `types`; every touched type when the types are unknown. */
  typeToken(types: readonly string[] | undefined): string {
    let token = '';
    for (const [type, count] of this.typeCounters)
      if (!types || types.includes(type)) token += `|${type}@${count}`;
    return token;
  }

  token(): string {
    let token = this.boot;
    for (const [name, read] of this.readers) token += `|${name}=${read()}`;
    for (const [name, count] of this.counters) token += `|${name}#${count}`;
    return token;
  }
}
