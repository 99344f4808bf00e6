export * from './auth.module';
export { AUTH_SETTINGS, type AuthSettings, authSettingsOf } from './auth-settings';
export { applyHttpSecurity, securityHeadersOf } from './http-security';
export { GraphqlAccess } from './graphql/graphql-access.service';
export { ApolloWsDriver, type ApolloWsDriverConfig } from './graphql/apollo-ws.driver';
export { withoutCacheHints } from './graphql/without-cache-hints.plugin';
export { StreamSocketAccess, type StreamSocketAdmission } from './stream-socket-access.service';
