import {
  Inject,
  Logger,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig, KeyQuota } from '@kcloud/common';
import { createRedisClient } from '@kcloud/realtime';
import { AccessGuard } from './access.guard';
import { ApiKeysReloader } from './api-keys-reloader.service';
import { AuthFailureMiddleware } from './auth-failure.middleware';
import { AuthFailureThrottle } from './auth-failure-throttle';
import { RequestAdmission } from './admission.service';
import { StreamSocketAccess } from './stream-socket-access.service';
import { AUTH_SETTINGS, type AuthSettings, authSettingsOf } from './auth-settings';
import { Authenticator } from './authenticator';
import { GraphqlAccess } from './graphql/graphql-access.service';
import { KeyExpiryWatch } from './key-expiry.service';
import { KeyLeases } from './key-leases';
import { QueryLimitsPlugin } from './graphql/query-limits.plugin';
import { QueryTimeoutInterceptor } from './graphql/query-timeout.interceptor';
import { SubscriptionQuota } from './graphql/subscription-quota';
import { WsAccess } from './graphql/ws-access.service';
import { MemoryThrottlerStorage } from './memory-throttler.storage';
import { RateLimiter } from './rate-limiter.service';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * API keys, Basic auth, roles and abuse limits: the global guard, the GraphQL context and graphql-ws hooks
 * (GraphqlAccess, plugged in by apps/api), the depth/complexity plugin and the query timeout.
 */
@Module({
  providers: [
    { provide: AUTH_SETTINGS, inject: [AppConfig], useFactory: authSettingsOf },
    {
      provide: Authenticator,
      inject: [AUTH_SETTINGS],
      useFactory: (s: AuthSettings) => new Authenticator(s),
    },
    {
      // Shared by every replica when they share Redis; per process otherwise.
      provide: ThrottlerStorage,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.cache.redisUrl
          ? new RedisThrottlerStorage(createRedisClient(config.cache.redisUrl, 'rate-limit'))
          : new MemoryThrottlerStorage(),
    },
    RateLimiter,
    {
      provide: AuthFailureThrottle,
      inject: [ThrottlerStorage, AUTH_SETTINGS],
      useFactory: (storage: ThrottlerStorage, s: AuthSettings) => new AuthFailureThrottle(storage, s),
    },
    {
      // One subscription count per key across the replicas that share Redis; per process otherwise.
      provide: SubscriptionQuota,
      inject: [AppConfig, AUTH_SETTINGS],
      useFactory: (config: AppConfig, s: AuthSettings) =>
        new SubscriptionQuota(
          s.maxSubscriptionsPerKey,
          config.cache.redisUrl ? createRedisClient(config.cache.redisUrl, 'subscriptions') : undefined,
        ),
    },
    {
      provide: KeyLeases,
      inject: [AUTH_SETTINGS, SubscriptionQuota],
      useFactory: (s: AuthSettings, subscriptions: SubscriptionQuota) => new KeyLeases(s, subscriptions),
    },
    ApiKeysReloader,
    KeyExpiryWatch,
    RequestAdmission,
    StreamSocketAccess,
    WsAccess,
    GraphqlAccess,
    QueryLimitsPlugin,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_INTERCEPTOR, useClass: QueryTimeoutInterceptor },
  ],
  exports: [GraphqlAccess, StreamSocketAccess, AUTH_SETTINGS],
})
export class AuthModule implements OnModuleInit, NestModule {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly quota: KeyQuota,
    private readonly leases: KeyLeases,
    private readonly admission: RequestAdmission,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthFailureMiddleware).forRoutes('*path');
  }

  onModuleInit(): void {
    const s = this.settings;
    if (s.mode === 'enforced') {
      this.quota.install(this.leases);
      // Live subscriptions' ticks are charged to the same per-minute budget as requests.
      this.quota.installCharge(async (principal, units) => {
        const decision = await this.admission.charge(principal, units);
        return !decision || decision.allowed;
      });
    }
    switch (s.mode) {
      case 'off':
        this.logger.warn(
          '*** AUTH_MODE=off: authentication is DISABLED. Every caller is an unrestricted admin, with no rate limit. ***',
        );
        break;
      case 'open':
        this.logger.warn(
          'No credentials configured (API_KEYS, API_KEYS_FILE, API_AUTH_USERNAME): serving WITHOUT authentication. ' +
            'Anyone who reaches the port may read; admin operations are accepted from this machine (loopback) only, ' +
            'pages of other origins are refused. Development only; NODE_ENV=production refuses to start like this.',
        );
        break;
      case 'enforced':
        this.logger.log(
          `authentication enforced: ${s.keys.length} API key(s) [${s.keys.map((k) => `${k.name}:${k.role}`).join(', ')}]` +
            `${s.basic ? ', Basic admin account' : ''}; /metrics ${METRICS_ACCESS[s.metricsAccess]}`,
        );
        if (s.metricsAccess === 'open')
          this.logger.warn(
            "/metrics is open without METRICS_TOKEN: its series may carry every tenant's labels",
          );
        break;
    }
  }
}

const METRICS_ACCESS = {
  token: 'needs METRICS_TOKEN',
  admin: 'needs an admin credential (no METRICS_TOKEN set)',
  open: 'is open',
} as const;
