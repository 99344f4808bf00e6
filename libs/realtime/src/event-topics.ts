import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { PubSubEngine } from 'graphql-subscriptions';
import type { Gauge } from 'prom-client';
import { PUB_SUB } from './pub-sub.provider';
import { REALTIME_LAST_EVENT } from './realtime.metrics';
import { pushIterator } from './push-iterator';

type Listener = (event: unknown) => void;

interface Topic {
  readonly listeners: Set<Listener>;
  /** The PubSub subscription id once `subscribe` settled. */
  id?: number;
  subscribing?: Promise<void>;
}

/**
 * One PubSub listener per topic, however many subscribers hold it: events are handed to the local subscribers from
 * here. graphql-subscriptions' iterators add an EventEmitter listener (or a Redis handler) per subscriber, which
 * warned `MaxListenersExceededWarning` past ten and cost a closure chain per socket; here a subscriber is one entry
 * in a Set and one small queue. The PubSub subscription is dropped when the topic's last subscriber leaves.
 */
@Injectable()
export class EventTopics {
  private readonly logger = new Logger('Realtime');
  private readonly topics = new Map<string, Topic>();

  constructor(
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    @Optional() @InjectMetric(REALTIME_LAST_EVENT) private readonly lastEvent?: Gauge<string>,
  ) {}

  /** Topics with at least one local subscriber (each holds exactly one PubSub listener). */
  get activeTopics(): number {
    return this.topics.size;
  }

  /** Calls `listener` with every event of `trigger` until the returned function is called. */
  listen(trigger: string, listener: Listener): () => void {
    let topic = this.topics.get(trigger);
    if (!topic) {
      topic = { listeners: new Set() };
      this.topics.set(trigger, topic);
      this.open(trigger, topic);
    }
    topic.listeners.add(listener);
    const held = topic;
    return () => {
      held.listeners.delete(listener);
      if (held.listeners.size === 0 && this.topics.get(trigger) === held) this.close(trigger, held);
    };
  }

  /**
   * The events of `trigger` as an async iterator; `return()` leaves the topic at once and settles a pending `next()`.
   * Events arriving faster than the consumer pulls are queued (a cycle publishes two events; graphql-ws pulls as fast
   * as the socket takes them).
   */
  iterate<T>(trigger: string): AsyncIterableIterator<T> {
    return pushIterator<T>((push) => this.listen(trigger, (event) => push(event as T)), 'queue');
  }

  private open(trigger: string, topic: Topic): void {
    const deliver = (event: unknown): void => {
      // The publish → receipt benchmark reads this as the moment fan-out starts.
      this.lastEvent?.set({ topic: trigger }, Date.now() / 1000);
      for (const listener of topic.listeners) listener(event);
    };
    topic.subscribing = this.pubSub.subscribe(trigger, deliver, {}).then(
      (id) => {
        topic.id = id;
        topic.subscribing = undefined;
        // Everyone left while Redis was still subscribing.
        if (this.topics.get(trigger) !== topic) this.pubSub.unsubscribe(id);
      },
      (e: Error) => {
        topic.subscribing = undefined;
        if (this.topics.get(trigger) === topic) this.topics.delete(trigger);
        this.logger.warn(`subscribing to ${trigger} failed: ${e.message}`);
      },
    );
  }

  private close(trigger: string, topic: Topic): void {
    this.topics.delete(trigger);
    if (topic.id !== undefined) this.pubSub.unsubscribe(topic.id);
  }
}
