import { z } from 'zod';
import { regexSource } from '../lesson-text.ts';
import { checkKind, commonFields, scalar } from './common.ts';

/** `inspect`: a dotted path into a container's, image's, network's or volume's inspect data. */

export const inspectFields = z
  .object({
    ...commonFields,
    container: z.string().min(1).optional(),
    image: z.string().min(1).optional(),
    network: z.string().min(1).optional(),
    volume: z.string().min(1).optional(),
    path: z
      .string()
      .min(1)
      .describe('Dotted path into the inspect JSON: `NetworkSettings.Ports.80/tcp.0.HostPort`.'),
    equals: scalar.optional(),
    contains: z.string().optional(),
    matches: regexSource.optional(),
    exists: z.boolean().optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const targets = ['container', 'image', 'network', 'volume'].filter(
      (key) => value[key as keyof typeof value] !== undefined,
    );
    if (targets.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `expected exactly one of container, image, network, volume (found ${targets.length === 0 ? 'none' : targets.join(', ')})`,
      });
    }
  });

export const inspectKind = checkKind({
  kind: 'inspect',
  primary: 'container',
  fields: inspectFields,
});

export type InspectCheck = { kind: 'inspect' } & z.output<typeof inspectFields>;
