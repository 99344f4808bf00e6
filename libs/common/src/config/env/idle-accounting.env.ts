import { Matches } from 'class-validator';
import { IntEnv, NumberEnv, StringEnv } from './env-decorators';

/** Idle accounting and reclaim recommendations (issue 16): prices and the ledger bucket. */
export class IdleAccountingEnv {
  /** Price of an idle GPU-hour: a number, or JSON by model name with a `default` ({"default":2,"NVIDIA H100 80GB HBM3":4}). */
  @StringEnv()
  @Matches(/^\s*(\d+(\.\d+)?|\{[\s\S]*\})\s*$/, {
    message: 'IDLE_PRICE_PER_GPU_HOUR must be a number or a JSON object of model name to price',
  })
  IDLE_PRICE_PER_GPU_HOUR = '0';

  /** Price of a kWh drawn by idle GPUs. */
  @NumberEnv({ min: 0 }) IDLE_PRICE_PER_KWH = 0;

  /** Currency the idle costs are given in (a label only). */
  @StringEnv()
  @Matches(/^[A-Za-z]{1,10}$/, { message: 'COST_CURRENCY must be a currency code such as USD or EUR' })
  COST_CURRENCY = 'USD';

  /** The idle ledger's time bucket: one shared document per bucket; a range reads the buckets it touches. */
  @IntEnv({ min: 1, max: 86_400 }) IDLE_LEDGER_BUCKET_SECONDS = 3600;
}
