import { z } from 'zod';
import type { WorkshopChange } from './workshop-service.ts';

/**
 * How a workshop change reaches the other processes of a cluster (Postgres `LISTEN/NOTIFY`):
 * what one replica publishes, every other one hears and hands to its own streams.
 */
export interface ChangeRelay {
  publish(change: WorkshopChange): Promise<void>;
  onMessage(listener: (change: WorkshopChange) => void): () => void;
}

const workshopId = z.string().min(1).max(64);

const workshopChange = z.discriminatedUnion('type', [
  z.object({ type: z.literal('created'), workshopId }),
  z.object({ type: z.literal('learners'), workshopId }),
  z.object({
    type: z.literal('message'),
    workshopId,
    id: z.number().int(),
    text: z.string().max(500),
    sentAt: z.number(),
  }),
  z.object({ type: z.literal('ended'), workshopId }),
]);

/**
 * A relayed change if `value` is one, else undefined (whatever arrives is checked like a request).
 *
 * @example
 * parseWorkshopChange({ type: 'ended', workshopId: 'w1' }) // { type: 'ended', workshopId: 'w1' }
 */
export function parseWorkshopChange(value: unknown): WorkshopChange | undefined {
  const parsed = workshopChange.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
