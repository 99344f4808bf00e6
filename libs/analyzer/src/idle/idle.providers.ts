import { AcknowledgementStore } from '../recommendations/acknowledgement.store';
import { ReclaimResolver } from '../recommendations/graphql/reclaim.resolver';
import { ReclaimNotifier } from '../recommendations/reclaim-notifier';
import { ReclaimService } from '../recommendations/reclaim.service';
import { IdleUsageResolver } from './graphql/idle-usage.resolver';
import { IdleAccounting } from './idle-accounting.service';
import { IdleLedgerStore } from './idle-ledger.store';
import { IdleUsageService } from './idle-usage.service';
import { idleMetricProviders } from './idle.metrics';

/** Idle accounting (ledger, usage query, counters) and reclaim recommendations, registered by AnalyzerModule. */
export const idleProviders = [
  IdleLedgerStore,
  IdleAccounting,
  IdleUsageService,
  IdleUsageResolver,
  AcknowledgementStore,
  ReclaimService,
  ReclaimResolver,
  ReclaimNotifier,
  ...idleMetricProviders,
];
