import { Module } from '@nestjs/common';
import { AuthModule } from '@kcloud/auth';
import { ClusterLabelResolution, MetricsSourceModule } from '@kcloud/metrics-source';
import { PowerHistoryService } from './power-history.service';
import { PowerResolver } from './power.resolver';
import { PowerService } from './power.service';
import { PueService } from './pue.service';
import { PowerStreamController } from './stream/power-stream.controller';
import { PowerStreamHub } from './stream/power-stream.hub';
import { PowerStreamResolver } from './stream/power-stream.resolver';
import { PowerStreamSocket } from './stream/power-stream.socket';
import { intervalScheduler, POWER_STREAM_SCHEDULER } from './stream/stream-scheduler';

/** Unified power, breakdowns, PUE, power time series and energy; live power over graphql-ws, SSE and a plain WebSocket. */
@Module({
  imports: [MetricsSourceModule, AuthModule],
  controllers: [PowerStreamController],
  providers: [
    ClusterLabelResolution,
    PowerService,
    PueService,
    PowerHistoryService,
    PowerResolver,
    PowerStreamHub,
    PowerStreamResolver,
    PowerStreamSocket,
    { provide: POWER_STREAM_SCHEDULER, useValue: intervalScheduler },
  ],
  exports: [PowerService, PueService, PowerHistoryService, PowerStreamHub],
})
export class MonitoringModule {}
