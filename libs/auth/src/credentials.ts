/** What a request presented, before it is checked against the configured keys. */
export type Credentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'malformed'; readonly reason: string };

type HeaderValue = string | readonly string[] | undefined;

/** Longest credential we look at; anything longer is refused before hashing (it cannot be a configured key). */
const MAX_CREDENTIAL_LENGTH = 4096;

/**
 * Reads `Authorization: Bearer <key>`, `Authorization: Basic <base64>` or `X-API-Key: <key>`.
 * Authorization wins when both are sent; a repeated header is refused rather than guessed at.
 */
export function credentialsFrom(authorization: HeaderValue, apiKey: HeaderValue): Credentials {
  if (Array.isArray(authorization) || Array.isArray(apiKey))
    return { kind: 'malformed', reason: 'credential header repeated' };
  const auth = (authorization as string | undefined)?.trim();
  if (auth) return fromAuthorization(auth);
  const key = (apiKey as string | undefined)?.trim();
  if (key) return key.length > MAX_CREDENTIAL_LENGTH ? tooLong() : { kind: 'key', key };
  return { kind: 'none' };
}

function fromAuthorization(value: string): Credentials {
  if (value.length > MAX_CREDENTIAL_LENGTH) return tooLong();
  const space = value.indexOf(' ');
  const scheme = (space < 0 ? value : value.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : value.slice(space + 1).trim();
  if (!rest) return { kind: 'malformed', reason: 'Authorization header without credentials' };
  if (scheme === 'bearer') return { kind: 'key', key: rest };
  if (scheme === 'basic') {
    const decoded = Buffer.from(rest, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { kind: 'malformed', reason: 'Basic credentials must be base64(user:password)' };
    return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return { kind: 'malformed', reason: 'Authorization scheme must be Bearer or Basic' };
}

function tooLong(): Credentials {
  return { kind: 'malformed', reason: 'credential too long' };
}
