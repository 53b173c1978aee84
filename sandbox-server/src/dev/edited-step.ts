import YAML from 'yaml';

/**
 * Which step a save changed, so `handson dev` re-verifies the lesson up to that step only. A
 * prose file is compared `<Step>` section by section, `lesson.yaml` step by step; when several
 * steps changed, the last of them in lesson order (verify is cumulative, so it covers the
 * others). Undefined when no single step can be named (the lesson's title, its setup, a broken
 * file): then the whole lesson is verified.
 *
 * @example
 * editedStep('en.mdx', '<Step id="a">x</Step>', '<Step id="a">y</Step>', ['a']) // 'a'
 */
export function editedStep(
  file: string,
  before: string,
  after: string,
  stepIds: readonly string[],
): string | undefined {
  const old = file.endsWith('.mdx') ? proseSections(before) : yamlSteps(before);
  const now = file.endsWith('.mdx') ? proseSections(after) : yamlSteps(after);
  if (!old || !now) return undefined;
  if (!file.endsWith('.mdx') && lessonLevel(before) !== lessonLevel(after)) return undefined;
  const changed = stepIds.filter((id) => old.get(id) !== now.get(id));
  return changed.at(-1);
}

const SECTION = /<Step\b[^>]*?\bid\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/Step>/g;

/** Each `<Step id>` section's text, by id. */
function proseSections(mdx: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const match of mdx.matchAll(SECTION)) sections.set(match[1] ?? match[2] ?? '', match[3]!);
  return sections;
}

/** Each step of a lesson.yaml, serialised, by id; undefined when the file does not parse. */
function yamlSteps(text: string): Map<string, string> | undefined {
  const steps = parse(text)?.steps;
  if (!Array.isArray(steps)) return undefined;
  const byId = new Map<string, string>();
  for (const step of steps) {
    if (step && typeof step === 'object' && 'id' in step)
      byId.set(String(step.id), JSON.stringify(step));
  }
  return byId;
}

/** What a lesson.yaml says besides its steps (setup, images): a change there touches every step. */
function lessonLevel(text: string): string {
  const { steps: _steps, title: _title, ...rest } = parse(text) ?? {};
  return JSON.stringify(rest);
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = YAML.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
