import type { AxiosRequestConfig } from 'axios';
import type { ClusterConfig } from '@kcloud/common';

/** A cluster's PROMETHEUS_CLUSTERS `auth` as axios settings: basic auth, or a bearer token header. */
export function authConfig(cluster: ClusterConfig): Pick<AxiosRequestConfig, 'auth'> {
  const auth = cluster.auth;
  return auth?.type === 'basic'
    ? { auth: { username: auth.username ?? '', password: auth.password ?? '' } }
    : {};
}

export function authHeaders(cluster: ClusterConfig): Record<string, string> {
  const auth = cluster.auth;
  return auth?.type === 'bearer' ? { Authorization: `Bearer ${auth.token ?? ''}` } : {};
}
