// Talking to this API: GraphQL over HTTP (bearer key), graphql-ws on the same origin (key in connection_init), and
// authenticated file downloads. The key lives in sessionStorage only: it goes away with the tab.
import { type Client, createClient } from 'graphql-ws';

const KEY_ITEM = 'kcloud.apiKey';

export const apiKey = {
  get: (): string => sessionStorage.getItem(KEY_ITEM) ?? '',
  set: (key: string): void =>
    key ? sessionStorage.setItem(KEY_ITEM, key) : sessionStorage.removeItem(KEY_ITEM),
};

const authHeaders = (): Record<string, string> => {
  const key = apiKey.get();
  return key ? { authorization: `Bearer ${key}` } : {};
};

export interface GqlError {
  readonly message: string;
  readonly extensions?: { readonly code?: string };
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** A query; partial results come back with their errors, a result without data throws the first error. */
export async function gql<T>(
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ data: T; errors: readonly GqlError[] }> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders() },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    data?: T | null;
    errors?: GqlError[];
    message?: string;
    code?: string;
  };
  if (!body.data) {
    const first = body.errors?.[0];
    throw new ApiError(
      first?.message ?? body.message ?? `HTTP ${res.status}`,
      first?.extensions?.code ?? body.code,
    );
  }
  return { data: body.data, errors: body.errors ?? [] };
}

export type LiveState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** One graphql-ws client for the page; `onState` drives the visible connection state, `onReconnect` a re-read. */
export function liveClient(
  onState: (s: LiveState, detail?: string) => void,
  onReconnect: () => void,
): Client {
  let connectedOnce = false;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  return createClient({
    url,
    lazy: false,
    retryAttempts: Infinity,
    // Reconnect (with graphql-ws's growing back-off) unless the server refused the key: a new key starts a new client.
    shouldRetry: (e) => ![4400, 4401, 4403].includes((e as { code?: number }).code ?? 0),
    connectionParams: () => {
      const key = apiKey.get();
      return key ? { authorization: `Bearer ${key}` } : {};
    },
    on: {
      connecting: () => onState(connectedOnce ? 'reconnecting' : 'connecting'),
      connected: () => {
        onState('connected');
        // Events sent while the socket was down are lost: read the fleet again once, then go on with events.
        if (connectedOnce) onReconnect();
        connectedOnce = true;
      },
      closed: (e) => {
        const ev = e as { code?: number; reason?: string } | undefined;
        onState('closed', ev?.reason || (ev?.code ? `code ${ev.code}` : undefined));
      },
    },
  });
}

/** Downloads a path of this API with the key, saving it under the server's file name. */
export async function download(path: string): Promise<string> {
  const res = await fetch(path, { headers: authHeaders() });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    throw new ApiError(body.message ?? `HTTP ${res.status}`, undefined);
  }
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
