import { z } from 'zod';
import { checkKind, commonFields, names } from './common.ts';

/** `volume`: a volume exists, and the named containers mount it (subset). */

export const volumeFields = z
  .object({
    ...commonFields,
    name: z.string().min(1),
    exists: z.boolean().optional(),
    containers: names.optional().describe('Containers that mount it (subset).'),
  })
  .strict();

export const volumeKind = checkKind({ kind: 'volume', primary: 'name', fields: volumeFields });

export type VolumeCheck = { kind: 'volume' } & z.output<typeof volumeFields>;
