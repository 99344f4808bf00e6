import { Global, Module } from '@nestjs/common';
import { AppConfig, Clock } from '@kcloud/common';
import { CACHE_BACKEND, createCacheBackend } from './cache-backend';
import { cacheMetricProviders } from './cache.metrics';
import { CacheService } from './cache.service';

/** Global: one CacheService (and one store) per process. Needs AppConfig from the global ConfigModule. */
@Global()
@Module({
  providers: [{ provide: CACHE_BACKEND, inject: [AppConfig], useFactory: createCacheBackend }, Clock, CacheService, ...cacheMetricProviders],
  exports: [CacheService],
})
export class CacheModule {}
