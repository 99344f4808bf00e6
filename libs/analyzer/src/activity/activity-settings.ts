import type { AppConfig } from '@kcloud/common';
import type { HysteresisSettings } from './activity-machine';

/** The IDLE_* settings of the activity states. */
export interface ActivitySettings extends HysteresisSettings {
  /** Share of the framebuffer in use, in %, from which an idle holder "holds" memory (IDLE_HELD). */
  readonly memoryHeldPercent: number;
  /** Board power this share of the limit above the GPU's idle baseline is work, whatever the activity fields say. */
  readonly powerWorkFraction: number;
}

/**
 * A busy GPU draws well over half its limit and an idle one a tenth to a fifth; a quarter of the limit above the
 * board's own idle draw is work no idle state (a notebook holding memory, an inference gap) reaches.
 */
const POWER_WORK_FRACTION = 0.25;

export function activitySettings(config: AppConfig): ActivitySettings {
  const e = config.env;
  return {
    enterPercent: e.IDLE_ACTIVITY_ENTER_PERCENT,
    exitPercent: e.IDLE_ACTIVITY_EXIT_PERCENT,
    enterSeconds: e.IDLE_ENTER_SECONDS,
    exitSeconds: e.IDLE_EXIT_SECONDS,
    graceSeconds: e.IDLE_GRACE_SECONDS,
    memoryHeldPercent: e.IDLE_MEMORY_HELD_PERCENT,
    powerWorkFraction: POWER_WORK_FRACTION,
  };
}
