import {
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { IntEnv, NumberEnv } from './env-decorators';

/** The idle exit band lies above the enter band: between them an activity state holds. */
@ValidatorConstraint({ name: 'idleBandsOrdered' })
class IdleBandsOrdered implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments): boolean {
    const e = args.object as ActivityEnv;
    return e.IDLE_ACTIVITY_ENTER_PERCENT < e.IDLE_ACTIVITY_EXIT_PERCENT;
  }
  defaultMessage(): string {
    return 'IDLE_ACTIVITY_ENTER_PERCENT < IDLE_ACTIVITY_EXIT_PERCENT must hold';
  }
}

/** Activity states (GpuScore.activityState): hysteresis of the allocation-aware idle states. */
export class ActivityEnv {
  /** Activity (GR_ENGINE_ACTIVE, else GPU_UTIL) below this % counts toward entering IDLE_HELD / IDLE_ALLOCATED. */
  @NumberEnv({ min: 0, max: 100 }) IDLE_ACTIVITY_ENTER_PERCENT = 5;

  /** Activity above this % counts toward leaving an idle state; must exceed IDLE_ACTIVITY_ENTER_PERCENT. */
  @NumberEnv({ min: 0, max: 100 })
  @Validate(IdleBandsOrdered)
  IDLE_ACTIVITY_EXIT_PERCENT = 10;

  /** Activity must stay below the enter band this long before a GPU is declared idle. */
  @IntEnv({ min: 1, max: 604_800 }) IDLE_ENTER_SECONDS = 1800;

  /** Activity must stay above the exit band this long before an idle GPU is active again. */
  @IntEnv({ min: 1, max: 604_800 }) IDLE_EXIT_SECONDS = 300;

  /** A pod seen arriving on a GPU is not judged idle before this many seconds. */
  @IntEnv({ min: 0, max: 604_800 }) IDLE_GRACE_SECONDS = 600;

  /** An idle allocated GPU is IDLE_HELD when at least this % of its framebuffer is used, else IDLE_ALLOCATED. */
  @NumberEnv({ min: 0, max: 100 }) IDLE_MEMORY_HELD_PERCENT = 2;
}
