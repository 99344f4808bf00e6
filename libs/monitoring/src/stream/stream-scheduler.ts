/** The live power streams' timer: the realtime library's stream scheduler, under the name this library provides it. */
export {
  STREAM_SCHEDULER as POWER_STREAM_SCHEDULER,
  type StreamScheduler,
  intervalScheduler,
} from '@kcloud/realtime';
