import { z } from 'zod';

/**
 * The lesson contract: ONE zod schema for `content/lessons/<NN-id>/lesson.yaml`, imported by the
 * server (loader, checks, verify) and by the Astro site (content collections). Framework-free on
 * purpose: no Node imports here, so the browser build can use it too.
 *
 * Checks are written the way DESIGN.md shows them — a kind key whose value is the check's main
 * subject, with its fields beside it (`{container: web, state: running}`) or nested under it
 * (`{inspect: {container: web, path: Config.Hostname, equals: box}}`) — and come out of the
 * schema normalised as `{kind: 'container', name: 'web', state: 'running', ...}`.
 *
 * @example
 * const lesson = lessonSchema.parse(YAML.parse(text));
 * lesson.steps[0].checks[0].kind // 'container'
 */

export const LANGS = ['ja', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Text keyed by language; a draft may carry only some languages, the course needs all. */
export function localized<T extends z.ZodTypeAny>(inner: T) {
  return z
    .object({ ja: inner.optional(), en: inner.optional() })
    .strict()
    .refine((value) => value.ja !== undefined || value.en !== undefined, {
      message: 'expected text in at least one language (ja, en)',
    });
}

export const localizedText = localized(z.string().min(1)).describe(
  'Text per language, e.g. {ja: コンテナ, en: Containers}.',
);
export type LocalizedText = Partial<Record<Lang, string>>;

/** A JavaScript regular expression, checked to compile when the lesson is loaded. */
export const regexSource = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    try {
      new RegExp(source);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.addIssue({ code: 'custom', message: `not a valid regular expression (${reason})` });
    }
  })
  .describe('A JavaScript regular expression (unanchored).');

const seconds = z.number().positive().max(600);

/** Fields every check kind accepts. */
const common = {
  within: seconds
    .optional()
    .describe('Retry for this many seconds before failing (default 3), so slow starts pass.'),
  timeout: seconds
    .optional()
    .describe('Give up on a single attempt after this many seconds (default 10).'),
  message: localized(z.string().min(1))
    .optional()
    .describe('Message shown when the check fails, replacing the generated one.'),
  guard: z
    .boolean()
    .optional()
    .describe(
      'true: the check protects what earlier steps built (it may already pass before this step); `handson verify` only requires it to pass after.',
    ),
};

const names = z.array(z.string().min(1));
const stringMap = z.record(z.string());
const countSchema = z.union([
  z.number().int().min(0),
  z.object({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }),
]);

export const CONTAINER_STATES = [
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
] as const;

const containerFields = z
  .object({
    ...common,
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

const diffFields = z
  .object({
    ...common,
    container: z.string().min(1),
    added: names.optional(),
    changed: names.optional(),
    deleted: names.optional(),
  })
  .strict();

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const inspectFields = z
  .object({
    ...common,
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

const argv = z.union([z.string(), z.array(z.string())]);

const imageFields = z
  .object({
    ...common,
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

const logsFields = z
  .object({
    ...common,
    container: z.string().min(1),
    stream: z.enum(['stdout', 'stderr', 'both']).optional().describe('Default both.'),
    contains: z.string().optional(),
    matches: regexSource.optional(),
  })
  .strict();

const execFields = z
  .object({
    ...common,
    run: z.string().min(1).describe('Shell text run with `sh -c`.'),
    container: z
      .string()
      .min(1)
      .optional()
      .describe('Run inside this container instead of the sandbox.'),
    exitCode: z.number().int().optional().describe('Default 0.'),
    stdout: z.string().optional().describe('Shorthand for `equals`.'),
    equals: z.string().optional().describe('Trimmed stdout equals this.'),
    contains: z.string().optional(),
    matches: regexSource.optional(),
  })
  .strict();

const httpFields = z
  .object({
    ...common,
    port: z.number().int().min(1).max(65535),
    path: z.string().startsWith('/').optional().describe('Default `/`.'),
    status: z.number().int().min(100).max(599).optional().describe('Default 200.'),
    contains: z.string().optional(),
    matches: regexSource.optional(),
  })
  .strict();

const networkFields = z
  .object({
    ...common,
    name: z.string().min(1),
    exists: z.boolean().optional(),
    driver: z.string().optional(),
    containers: names.optional().describe('Containers attached (subset).'),
  })
  .strict();

const volumeFields = z
  .object({
    ...common,
    name: z.string().min(1),
    exists: z.boolean().optional(),
    containers: names.optional().describe('Containers that mount it (subset).'),
  })
  .strict();

const fileFields = z
  .object({
    ...common,
    path: z.string().min(1).describe('Workspace path, relative to /root/work.'),
    exists: z.boolean().optional(),
    contains: z.string().optional(),
    matches: regexSource.optional(),
  })
  .strict();

const historyFields = z
  .object({
    ...common,
    matches: regexSource.describe('A command the learner ran in the step, as a regex.'),
  })
  .strict();

/**
 * Every check kind: its key in YAML, which field a bare value fills, and the fields' schema.
 * Order matters when a check carries two kind-like keys: `{container: web, image: nginx}` is a
 * container check with an image field and `{network: app, containers: [web]}` a network check,
 * so `containers`, `container` and `image` are tried last.
 */
export const CHECK_KINDS = {
  diff: { primary: 'container', fields: diffFields },
  inspect: { primary: 'container', fields: inspectFields },
  logs: { primary: 'container', fields: logsFields },
  exec: { primary: 'run', fields: execFields },
  http: { primary: 'port', fields: httpFields },
  network: { primary: 'name', fields: networkFields },
  volume: { primary: 'name', fields: volumeFields },
  file: { primary: 'path', fields: fileFields },
  history: { primary: 'matches', fields: historyFields },
  containers: { primary: 'filters', fields: containerFields },
  container: { primary: 'name', fields: containerFields },
  image: { primary: 'ref', fields: imageFields },
} as const;

export type CheckKey = keyof typeof CHECK_KINDS;
export const CHECK_KEYS = Object.keys(CHECK_KINDS) as CheckKey[];

type Fields<K extends CheckKey> = z.output<(typeof CHECK_KINDS)[K]['fields']>;

export type ContainerCheck = { kind: 'container' } & Fields<'container'>;
export type DiffCheck = { kind: 'diff' } & Fields<'diff'>;
export type InspectCheck = { kind: 'inspect' } & Fields<'inspect'>;
export type ImageCheck = { kind: 'image' } & Fields<'image'>;
export type LogsCheck = { kind: 'logs' } & Fields<'logs'>;
export type ExecCheck = { kind: 'exec' } & Fields<'exec'>;
export type HttpCheck = { kind: 'http' } & Fields<'http'>;
export type NetworkCheck = { kind: 'network' } & Fields<'network'>;
export type VolumeCheck = { kind: 'volume' } & Fields<'volume'>;
export type FileCheck = { kind: 'file' } & Fields<'file'>;
export type HistoryCheck = { kind: 'history' } & Fields<'history'>;

/** A check as the server evaluates it (`containers` becomes kind `container` with filters). */
export type Check =
  | ContainerCheck
  | DiffCheck
  | InspectCheck
  | ImageCheck
  | LogsCheck
  | ExecCheck
  | HttpCheck
  | NetworkCheck
  | VolumeCheck
  | FileCheck
  | HistoryCheck;
export type CheckKind = Check['kind'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Which kind key a raw check uses, or undefined. */
export function checkKeyOf(raw: unknown): CheckKey | undefined {
  if (!isPlainObject(raw)) return undefined;
  return CHECK_KEYS.find((key) => key in raw);
}

export const checkSchema = z
  .unknown()
  .transform((raw, ctx): Check => {
    const key = checkKeyOf(raw);
    if (!isPlainObject(raw) || key === undefined) {
      const found = isPlainObject(raw) ? Object.keys(raw).join(', ') || 'nothing' : typeof raw;
      ctx.addIssue({
        code: 'custom',
        message: `unknown check kind (found ${found}); expected one of ${CHECK_KEYS.join(', ')}`,
      });
      return z.NEVER;
    }
    const { primary, fields } = CHECK_KINDS[key];
    const { [key]: head, ...rest } = raw;
    // A nested object holds the fields; a bare value fills the kind's main field.
    const nested = isPlainObject(head) && key !== 'containers';
    const merged = nested ? { ...rest, ...head } : { ...rest, [primary]: head };
    const parsed = fields.safeParse(merged);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const first = issue.path[0];
        // Point at the field where the author wrote it: under the kind key, or beside it.
        const beside = first !== undefined && first in rest;
        let path = issue.path;
        if (!nested && first === primary) path = [key];
        else if (nested && !beside) path = [key, ...issue.path];
        ctx.addIssue({ ...issue, path });
      }
      return z.NEVER;
    }
    const kind: CheckKind = key === 'containers' ? 'container' : key;
    return { kind, ...parsed.data } as Check;
  })
  .describe(
    'One check: a kind key (container, containers, diff, inspect, image, logs, exec, http, network, volume, file, history) with its fields.',
  );

const typeAction = z
  .object({ type: z.string().min(1).describe('Text typed, then Enter.') })
  .strict();
const keysAction = z
  .object({
    keys: z
      .string()
      .min(1)
      .regex(
        /^(\s*(C-.|M-.|Enter|Tab|Escape|Esc|Space|BSpace|Up|Down|Left|Right|[^\s])\s*)+$/i,
        'expected tmux-style key names such as `C-p C-q`, `Enter`, `C-c`',
      )
      .describe('tmux-style key names separated by spaces: `C-p C-q`, `Enter`, `C-c`.'),
  })
  .strict();
const expectAction = z
  .object({
    expect: regexSource.describe('Wait until the screen matches this regex.'),
    timeout: seconds.optional().describe('Seconds to wait (default 10).'),
  })
  .strict();
const ACTIONS = { type: typeAction, keys: keysAction, expect: expectAction } as const;

/** Interactive solution actions, typed into a real terminal: `{type}`, `{keys}`, `{expect}`. */
export const solutionActionSchema = z
  .unknown()
  .transform((raw, ctx) => {
    const key = isPlainObject(raw)
      ? (Object.keys(ACTIONS) as (keyof typeof ACTIONS)[]).find((k) => k in raw)
      : undefined;
    if (key === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'expected an action: {type: "…"}, {keys: "C-p C-q"} or {expect: "regex", timeout: 10}',
      });
      return z.NEVER;
    }
    const parsed = ACTIONS[key].safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue(issue);
      return z.NEVER;
    }
    return parsed.data as
      | z.output<typeof typeAction>
      | z.output<typeof keysAction>
      | z.output<typeof expectAction>;
  })
  .describe('An interactive action: {type}, {keys} or {expect, timeout}.');
export type SolutionAction = z.output<typeof solutionActionSchema>;

export const solutionSchema = z
  .union([z.string().min(1), z.array(solutionActionSchema).min(1)])
  .describe('Shell text (one command per line), or a list of {type}/{keys}/{expect} actions.');
export type Solution = z.output<typeof solutionSchema>;

export const editorFileSchema = z
  .object({
    path: z.string().min(1).describe('Workspace path, relative to /root/work.'),
    content: z.string().optional().describe('Initial content written when the step opens.'),
    language: z.string().optional().describe('Editor language id (dockerfile, shell, yaml, …).'),
  })
  .strict();
export type EditorFile = z.output<typeof editorFileSchema>;

export const STEP_ID = /^[a-z0-9][a-z0-9-]*$/;

export const stepSchema = z
  .object({
    id: z.string().regex(STEP_ID, 'expected lowercase letters, digits and dashes (`run-detached`)'),
    title: localizedText,
    solution: solutionSchema,
    checks: z.array(checkSchema).min(1, 'expected at least one check'),
    hints: localized(z.array(z.string().min(1)).min(1)).describe('Hints per language, in order.'),
    files: z.array(editorFileSchema).optional().describe('Files the editor opens for this step.'),
  })
  .strict();
export type Step = z.output<typeof stepSchema>;

export const lessonSchema = z
  .object({
    order: z.number().int().min(0).describe('Position in the course.'),
    title: localizedText,
    summary: localizedText.optional().describe('One or two sentences for the course index.'),
    images: z.array(z.string().min(1)).default([]).describe('Images the lesson pulls or runs.'),
    setup: z.string().min(1).optional().describe('Shell text run once in a new sandbox.'),
    steps: z.array(stepSchema).min(1, 'expected at least one step'),
  })
  .strict()
  .superRefine((lesson, ctx) => {
    const seen = new Set<string>();
    lesson.steps.forEach((step, index) => {
      if (seen.has(step.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'id'],
          message: `duplicate step id "${step.id}"; each step needs its own id`,
        });
      }
      seen.add(step.id);
    });
  });
export type Lesson = z.output<typeof lessonSchema>;
export type LessonInput = z.input<typeof lessonSchema>;

/**
 * The lesson id the API and `handson verify` use: the folder name without its order prefix.
 *
 * @example
 * lessonIdFromFolder('02-first-containers') // 'first-containers'
 */
export function lessonIdFromFolder(folder: string): string {
  return folder.replace(/^\d+-/, '');
}

/**
 * Pick the text for a language, falling back to the other language a draft has.
 *
 * @example
 * pickLang({ ja: 'こんにちは' }, 'en') // 'こんにちは'
 */
export function pickLang<T>(value: Partial<Record<Lang, T>>, lang: Lang): T | undefined {
  return value[lang] ?? value.ja ?? value.en;
}
