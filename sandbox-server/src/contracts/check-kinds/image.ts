import { z } from 'zod';
import { argv, checkKind, commonFields, countSchema, stringMap } from './common.ts';

/** `image`: an image exists, with the expected env / cmd / entrypoint / exposed / workdir / user / layers. */

export const imageFields = z
  .object({
    ...commonFields,
    ref: z.string().min(1).describe('Image reference: `cowsay`, `me/app:v1`, `nginx`.'),
    exists: z.boolean().optional().describe('false: the image must be gone (after `rmi`).'),
    env: stringMap.optional(),
    cmd: argv.optional(),
    entrypoint: argv.optional(),
    exposed: z.array(z.union([z.string(), z.number().int()])).optional(),
    workdir: z.string().optional(),
    user: z.string().optional(),
    layers: countSchema.optional().describe('Number of layers (a number, or {min, max}).'),
  })
  .strict();

export const imageKind = checkKind({ kind: 'image', primary: 'ref', fields: imageFields });

export type ImageCheck = { kind: 'image' } & z.output<typeof imageFields>;
