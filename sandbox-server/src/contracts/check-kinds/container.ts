import { z } from 'zod';
import { checkKind, commonFields, countSchema, names, stringMap } from './common.ts';

/**
 * `container` (one by name) and `containers` (every one matching filters, with a count): state,
 * image, exit code, ports, labels, environment. Both normalise to kind `container`.
 */

export const CONTAINER_STATES = [
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
] as const;

export const containerFields = z
  .object({
    ...commonFields,
    name: z.string().min(1).optional().describe('Container name (with or without the leading /).'),
    filters: z
      .record(z.union([z.string(), names]))
      .optional()
      .describe('Engine API container filters (`ancestor`, `status`, `label`, `name`, …).'),
    count: countSchema
      .optional()
      .describe('How many containers match `filters` (a number, or {min, max}).'),
    exists: z.boolean().optional().describe('false: the container must not exist (after `rm`).'),
    state: z.enum(CONTAINER_STATES).optional(),
    image: z
      .string()
      .min(1)
      .optional()
      .describe('Image it runs; `nginx` means docker.io/library/nginx:latest.'),
    exitCode: z.number().int().optional(),
    ports: z
      .record(z.union([z.number().int(), z.string(), z.literal(true)]))
      .optional()
      .describe('Published ports: {"80/tcp": 8080} or {"80": true} for any host port.'),
    labels: stringMap.optional(),
    env: stringMap.optional().describe('Environment variables the container has (subset).'),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.name === undefined && value.filters === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected a container `name` or `filters`' });
    }
  });

export const containerKind = checkKind({
  kind: 'container',
  primary: 'name',
  fields: containerFields,
});

/** `containers: {ancestor: busybox}`: the object under the key is the filters. */
export const containersKind = checkKind({
  kind: 'container',
  primary: 'filters',
  objectIsPrimary: true,
  fields: containerFields,
});

export type ContainerCheck = { kind: 'container' } & z.output<typeof containerFields>;
