import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app-config';

/** Global: one validated AppConfig per process. Tests pass their own variables instead of the process env. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(env?: Readonly<Record<string, string | undefined>>): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useFactory: () => loadConfig(env ?? process.env) }],
      exports: [AppConfig],
    };
  }

  static fromConfig(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
