import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/** Whether the hop at `address` (the `index`th from the socket) is a proxy whose X-Forwarded-For is believed. */
export type TrustProxy = (address: string, index: number) => boolean;

/**
 * TRUST_PROXY in Express's `trust proxy` syntax — a hop count, or addresses / CIDRs / `loopback`, `linklocal`,
 * `uniquelocal` — compiled once. `true` is refused: trusting every hop lets any client name its own address and so
 * escape the per-address failed-authentication throttle. Returns the problem line instead of throwing.
 */
export function parseTrustProxy(value: string | undefined): { trust?: TrustProxy; problem?: string } {
  const text = value?.trim();
  if (!text) return {};
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return { trust: (_address, index) => index < hops };
  }
  if (/^(true|false)$/i.test(text))
    return {
      problem:
        `TRUST_PROXY: '${text}' is not accepted; name the proxies (addresses, CIDRs, loopback, linklocal, ` +
        'uniquelocal) or give a hop count',
    };
  const entries = text.split(',').map((s) => s.trim());
  try {
    return { trust: proxyAddr.compile(entries) };
  } catch (e) {
    return { problem: `TRUST_PROXY: ${(e as Error).message} (got "${text.slice(0, 200)}")` };
  }
}

/**
 * The client a request is counted against: the socket's peer, or — when that peer is a trusted proxy — the address it
 * forwarded, walking X-Forwarded-For from the right while the hops are trusted (proxy-addr, as Express computes
 * `req.ip`). Works on upgrade requests too, which never pass through Express.
 */
export function clientAddress(
  req: Partial<IncomingMessage>,
  trust: TrustProxy | undefined,
): string | undefined {
  const peer = req.socket?.remoteAddress;
  if (!trust || peer === undefined || !req.headers) return peer;
  return proxyAddr(req as IncomingMessage, trust);
}
