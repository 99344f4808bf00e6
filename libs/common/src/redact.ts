/**
 * Secrets out of text that may reach a log line, an error message, a GraphQL error or a config error: URL
 * credentials (`https://user:pass@host`), credential-looking query parameters, HTTP auth headers and JSON
 * `password`/`token`-like fields. Pure and idempotent: redacting twice gives the same text.
 */

/** What replaces a secret; deliberately not a valid token so a redacted text never authenticates anything. */
export const REDACTED = '***';

/**
 * Query parameter, field and variable names whose value is a credential: matched case-insensitively with `_`/`-`
 * ignored, exactly (`pass`, `sig`, `auth`) or as a suffix (`API_AUTH_PASSWORD`, `METRICS_TOKEN`, `x-api-key`).
 */
const SECRET_EXACT = /^(?:pass|pwd|sig|auth|session|jwt|bearer)$/;
const SECRET_SUFFIX =
  /(?:password|passwd|secret|token|apikey|key|authorization|signature|credentials?|sessionid|amzcredential)$/;

const isSecretName = (name: string): boolean => {
  const n = name.toLowerCase().replace(/[-_]/g, '');
  return SECRET_EXACT.test(n) || SECRET_SUFFIX.test(n);
};

// Every pattern starts only where a token starts (a lookbehind, not \b, which also fires inside `a-b.c`) and bounds
// its repeats: the text may be a megabyte of upstream answer, and an unanchored `[\w-]*` would backtrack
// quadratically over it (a 100 KB word took 50 s before).
// scheme://[userinfo@]rest-of-url, up to whitespace or a character that usually ends a URL inside prose or JSON.
const URL_IN_TEXT = /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^\s"'<>`]+/gi;
// `Authorization: Bearer x`, `Basic x`, `Token x` (also inside JSON or a header dump).
const AUTH_SCHEME = /(?<![\w-])(Bearer|Basic|Token|Digest|ApiKey)\s{1,16}([A-Za-z0-9\-._~+/=:]{1,8192})/g;
// A credential rather than an English word after the scheme ("Basic account"): 8+ characters with a digit, a
// symbol or an upper-case letter past the first (base64 of `user:pass` has no digit but mixes case).
const looksLikeCredential = (s: string): boolean => s.length >= 8 && /[0-9\-._~+/=:]|.[A-Z]/.test(s);
// "password": "x" / 'token':'x' / password=x (outside URLs: env dumps, form bodies).
const JSON_FIELD =
  /(["']?)(?<![\w-])([A-Za-z][\w-]{0,63})\1(\s{0,16}[:=]\s{0,16})(["'])((?:\\.|(?!\4).){0,8192})\4/g;
const ASSIGNMENT = /(?<![\w-])([A-Za-z][\w-]{0,63})=([^\s&;,"']{1,8192})/g;
// A bare `user:pass@host` (no scheme) seen in malformed URLs.
const BARE_USERINFO = /(^|[\s("'=])[^\s/@:"'()]{1,256}:[^\s/@"']{1,256}@(?=[^\s@])/g;

/**
 * A URL with its userinfo replaced by `***` and credential query parameters blanked; the host, port, path and other
 * parameters stay, so the message still says which endpoint failed. A text that is not a URL is returned through
 * {@link redactSecrets} (a malformed URL can still carry `user:pass@`).
 */
export function redactUrl(raw: string): string {
  const match = /^([a-z][a-z0-9+.-]{0,31}:\/\/)([^/?#]*@)?([^?#]*)(\?[^#]*)?(#.*)?$/is.exec(raw);
  if (!match) return redactLoose(raw);
  const [, scheme, userinfo, hostAndPath, query, fragment] = match;
  // The authority may itself hold an '@' in a password (`user:p@ss@host`): the last '@' ends the userinfo.
  return `${scheme}${userinfo ? `${REDACTED}@` : ''}${hostAndPath}${query ? redactQuery(query) : ''}${fragment ? redactQuery(fragment) : ''}`;
}

/** Every URL, auth header value and credential-named field in a free text, redacted. */
export function redactSecrets(text: string): string {
  return redactLoose(text.replace(URL_IN_TEXT, (url) => redactUrl(url)));
}

function redactLoose(text: string): string {
  return text
    .replace(AUTH_SCHEME, (m, scheme: string, value: string) =>
      looksLikeCredential(value) ? `${scheme} ${REDACTED}` : m,
    )
    .replace(JSON_FIELD, (m, q: string, name: string, sep: string, open: string) =>
      isSecretName(name) ? `${q}${name}${q}${sep}${open}${REDACTED}${open}` : m,
    )
    .replace(ASSIGNMENT, (m, name: string) => (isSecretName(name) ? `${name}=${REDACTED}` : m))
    .replace(BARE_USERINFO, (_m, lead: string) => `${lead}${REDACTED}@`);
}

function redactQuery(part: string): string {
  return part.replace(/([?&#;])([^=&#;]+)=([^&#;]*)/g, (m, sep: string, name: string) =>
    isSecretName(decodeSafe(name)) ? `${sep}${name}=${REDACTED}` : m,
  );
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
