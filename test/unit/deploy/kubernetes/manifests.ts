import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The folder of the Kubernetes manifests (sandbox-server/deploy/kubernetes). */
export const manifestsDir = path.resolve(
  import.meta.dirname,
  '../../../../sandbox-server/deploy/kubernetes',
);

/** One YAML document of a manifest file, as plain data. */
export interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked by schema, then read by path
  [field: string]: any;
}

/** Every YAML file of the folder, by name. */
export function manifestFiles(): string[] {
  return readdirSync(manifestsDir)
    .filter((name) => name.endsWith('.yaml'))
    .sort();
}

/**
 * Every document of `file`; a YAML syntax error throws, naming the file.
 *
 * @example
 * loadFile('server.yaml').map((m) => m.kind) // ['Deployment', 'Service', …]
 */
export function loadFile(file: string): Manifest[] {
  const text = readFileSync(path.join(manifestsDir, file), 'utf8');
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
    return { ...(doc.toJS() as Omit<Manifest, 'file'>), file } as Manifest;
  });
}

/** The one document of `kind` named `name`, or a failure naming what is missing. */
export function find(all: Manifest[], kind: string, name: string): Manifest {
  const found = all.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} in ${manifestsDir}`);
  return found;
}
