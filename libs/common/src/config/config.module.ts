import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CredentialChanges, KeyQuota } from '../credential-changes';
import { AppConfig } from './app-config';
import { loadConfig } from './load-config';

/** Global: one validated AppConfig per process (and the credential-change signal and per-key quota streams use). Tests pass their own variables instead of the process env. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(env?: Readonly<Record<string, string | undefined>>): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useFactory: () => loadConfig(env ?? process.env) },
        CredentialChanges,
        KeyQuota,
      ],
      exports: [AppConfig, CredentialChanges, KeyQuota],
    };
  }

  static fromConfig(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }, CredentialChanges, KeyQuota],
      exports: [AppConfig, CredentialChanges, KeyQuota],
    };
  }
}
