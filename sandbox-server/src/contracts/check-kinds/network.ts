import { z } from 'zod';
import { checkKind, commonFields, names } from './common.ts';

/** `network`: a network exists, with a driver and containers attached (subset). */

export const networkFields = z
  .object({
    ...commonFields,
    name: z.string().min(1),
    exists: z.boolean().optional(),
    driver: z.string().optional(),
    containers: names.optional().describe('Containers attached (subset).'),
  })
  .strict();

export const networkKind = checkKind({ kind: 'network', primary: 'name', fields: networkFields });

export type NetworkCheck = { kind: 'network' } & z.output<typeof networkFields>;
