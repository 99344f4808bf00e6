import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectMetric, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { APP_VERSION } from './version';

export const BUILD_INFO = 'kcloud_build_info';

/**
 * `kcloud_build_info{version,revision} 1`, the usual info gauge: dashboards and alerts join on it to show which build
 * a replica runs. The revision comes from the image (KCLOUD_REVISION, a build argument of the Dockerfile).
 */
@Injectable()
export class BuildInfoMetric implements OnModuleInit {
  constructor(@InjectMetric(BUILD_INFO) private readonly gauge: Gauge<string>) {}

  onModuleInit(): void {
    this.gauge.reset();
    this.gauge.set({ version: APP_VERSION, revision: process.env.KCLOUD_REVISION || 'unknown' }, 1);
  }
}

export const buildInfoProviders = [
  makeGaugeProvider({
    name: BUILD_INFO,
    help: 'Build of this replica (always 1)',
    labelNames: ['version', 'revision'],
  }),
  BuildInfoMetric,
];
