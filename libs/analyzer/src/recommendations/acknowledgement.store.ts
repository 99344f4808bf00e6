import { Injectable } from '@nestjs/common';
import { SharedState } from '@kcloud/realtime';
import { type Acknowledgement, liveAcknowledgements } from './reclaim';

export const RECLAIM_ACKS_DOC = 'reclaim-acknowledgements';
const MAX_ATTEMPTS = 5;

/**
 * Snoozed recommendations in SharedState (Redis or STATE_DIR), so every replica hides the same ones and a restart
 * forgets none. Writes are compare-and-set, retried on a concurrent write; expired entries are pruned on write.
 */
@Injectable()
export class AcknowledgementStore {
  constructor(private readonly shared: SharedState) {}

  async all(): Promise<Readonly<Record<string, Acknowledgement>>> {
    return (await this.shared.read<Record<string, Acknowledgement>>(RECLAIM_ACKS_DOC))?.value ?? {};
  }

  async put(keys: readonly string[], ack: Acknowledgement, nowMs: number): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.shared.read<Record<string, Acknowledgement>>(RECLAIM_ACKS_DOC);
      const next = liveAcknowledgements(doc?.value ?? {}, nowMs);
      for (const k of keys) next[k] = ack;
      if ((await this.shared.compareAndSet(RECLAIM_ACKS_DOC, doc?.version ?? 0, next)).ok) return;
    }
    throw new Error('acknowledgements kept changing under this write; try again');
  }
}
