import { createHash } from 'node:crypto';
import type { Role } from '@kcloud/common';

export const ROLES: readonly Role[] = ['viewer', 'partner', 'admin'];

/** One configured API key: only the SHA-256 of the key is ever held, never the key itself. */
export interface ApiKeyEntry {
  readonly name: string;
  /** Lower-case hex SHA-256 of the key's UTF-8 bytes. */
  readonly sha256: string;
  readonly role: Role;
  readonly clusters?: readonly string[];
  readonly namespaces?: readonly string[];
  /** After this instant the key is refused and its open subscriptions are closed. */
  readonly expiresAt?: Date;
  /** Overrides RATE_LIMIT_PER_MINUTE for this key. */
  readonly rateLimitPerMinute?: number;
}

export const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
export const sha256Hex = (text: string): string => sha256(text).toString('hex');

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.:@-]{0,62}$/;
const HEX64 = /^[0-9a-fA-F]{64}$/;
const KNOWN_FIELDS = new Set([
  'name',
  'sha256',
  'role',
  'clusters',
  'namespaces',
  'expiresAt',
  'rateLimitPerMinute',
]);

/**
 * Validates the JSON of API_KEYS / API_KEYS_FILE. Returns the entries and pushes one message per problem, naming the
 * entry by position and name (never echoing a hash, which is as sensitive as a password digest).
 */
export function parseApiKeys(json: string, where: string, problems: string[]): ApiKeyEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    problems.push(`${where} is not valid JSON`);
    return [];
  }
  if (!Array.isArray(parsed)) {
    problems.push(`${where} must be a JSON list of {name, sha256, role, clusters?, namespaces?}`);
    return [];
  }
  return parsed.flatMap((item: unknown, i) => {
    const entry = parseEntry(item, `${where}[${i}]`, problems);
    return entry ? [entry] : [];
  });
}

function parseEntry(item: unknown, at: string, problems: string[]): ApiKeyEntry | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    problems.push(`${at} must be an object`);
    return undefined;
  }
  const raw = item as Record<string, unknown>;
  const before = problems.length;
  const unknown = Object.keys(raw).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length) problems.push(`${at} has unknown fields: ${unknown.join(', ')}`);
  if ('key' in raw || 'apiKey' in raw)
    problems.push(`${at} must give the key's sha256, never the key itself`);
  const { name, sha256: hash, role } = raw;
  if (typeof name !== 'string' || !NAME.test(name)) problems.push(`${at}.name must match ${NAME.source}`);
  const label = typeof name === 'string' ? `${at} ('${name.slice(0, 64)}')` : at;
  if (typeof hash !== 'string' || !HEX64.test(hash)) problems.push(`${label}.sha256 must be 64 hex digits`);
  if (typeof role !== 'string' || !ROLES.includes(role as Role))
    problems.push(`${label}.role must be one of ${ROLES.join(', ')}`);
  const clusters = stringList(raw.clusters, `${label}.clusters`, problems);
  const namespaces = stringList(raw.namespaces, `${label}.namespaces`, problems);
  const expiresAt = raw.expiresAt === undefined ? undefined : new Date(String(raw.expiresAt));
  if (expiresAt && (typeof raw.expiresAt !== 'string' || Number.isNaN(expiresAt.getTime())))
    problems.push(`${label}.expiresAt must be an ISO-8601 time`);
  const limit = raw.rateLimitPerMinute;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1))
    problems.push(`${label}.rateLimitPerMinute must be a positive integer`);
  if (problems.length > before) return undefined;
  return {
    name: name as string,
    sha256: (hash as string).toLowerCase(),
    role: role as Role,
    ...(clusters?.length ? { clusters } : {}),
    ...(namespaces?.length ? { namespaces } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    ...(limit !== undefined ? { rateLimitPerMinute: limit as number } : {}),
  };
}

function stringList(value: unknown, at: string, problems: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0 || v.length > 253)) {
    problems.push(`${at} must be a list of non-empty names`);
    return undefined;
  }
  return [...new Set(value as string[])];
}
