import { Global, Module } from '@nestjs/common';
import { AppConfig, Clock } from '@kcloud/common';
import { CACHE_BACKEND, createCacheBackend } from './cache-backend';
import { cacheMetricProviders } from './cache.metrics';
import { CacheService } from './cache.service';
import { DataVersions } from './data-versions';
import { ResponseCache } from './response-cache';

/** Global: one CacheService (and one store) per process. Needs AppConfig from the global ConfigModule. */
@Global()
@Module({
  providers: [
    { provide: CACHE_BACKEND, inject: [AppConfig], useFactory: createCacheBackend },
    Clock,
    DataVersions,
    CacheService,
    ResponseCache,
    ...cacheMetricProviders,
  ],
  exports: [CacheService, DataVersions, ResponseCache],
})
export class CacheModule {}
