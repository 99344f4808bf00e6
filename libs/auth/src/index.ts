export * from './auth.module';
export { AUTH_SETTINGS, type AuthMode, type AuthSettings, authSettingsOf, buildAuthSettings } from './auth-settings';
export { applyHttpSecurity } from './http-security';
export { GraphqlAccess, type GraphqlAuthContext } from './graphql/graphql-access.service';
export { WS_FORBIDDEN, WS_UNAUTHORIZED } from './graphql/ws-access.service';
export { sha256Hex, type ApiKeyEntry } from './api-key';
export { defaultRoles, isAllowed, isOpenPath } from './access-policy';
