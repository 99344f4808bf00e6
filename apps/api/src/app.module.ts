import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AcceleratorsModule } from '@kcloud/accelerators';
import { AnalyzerModule } from '@kcloud/analyzer';
import { AuthModule } from '@kcloud/auth';
import { CacheModule } from '@kcloud/cache';
import { ClustersModule } from '@kcloud/clusters';
import { type AppConfig, ConfigModule, HttpErrorFilter } from '@kcloud/common';
import { ExportModule } from '@kcloud/export';
import { HardwareModule } from '@kcloud/hardware';
import { InfrastructureModule } from '@kcloud/infrastructure';
import { MonitoringModule } from '@kcloud/monitoring';
import { RealtimeModule } from '@kcloud/realtime';
import { LoggingModule, SystemModule } from '@kcloud/system';
import { WebModule } from '@kcloud/web';
import { graphqlModule } from './graphql.options';

/** The composition root: the validated config, then every library module. Nothing else lives here. */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.fromConfig(config),
        LoggingModule,
        ScheduleModule.forRoot(),
        AuthModule,
        graphqlModule,
        CacheModule,
        SystemModule,
        AcceleratorsModule,
        RealtimeModule,
        AnalyzerModule,
        ExportModule,
        InfrastructureModule,
        HardwareModule,
        MonitoringModule,
        ClustersModule,
        WebModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
