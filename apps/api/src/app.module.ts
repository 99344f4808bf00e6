import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AcceleratorsModule } from '@kcloud/accelerators';
import { CacheModule } from '@kcloud/cache';
import { type AppConfig, ConfigModule, HttpErrorFilter } from '@kcloud/common';
import { SystemModule } from '@kcloud/system';
import { graphqlModule } from './graphql.options';

/** The composition root: the validated config, then every library module. Nothing else lives here. */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.fromConfig(config),
        ScheduleModule.forRoot(),
        graphqlModule,
        CacheModule,
        SystemModule,
        AcceleratorsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
