import { Global, Module } from '@nestjs/common';
import { cacheMetricProviders } from './cache.metrics';
import { CacheService } from './cache.service';

@Global()
@Module({ providers: [...cacheMetricProviders, CacheService], exports: [CacheService] })
export class CacheModule {}
