import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One import: the importing file, and the file or package it names. */
export interface ImportEdge {
  /** Repository-relative path of the importing file. */
  from: string;
  /** Repository-relative path of the imported file, or the bare specifier of a package. */
  to: string;
  /** The import as written. */
  specifier: string;
}

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** Every `.ts` (and `.astro`, `.mjs`) file under `dir`, repository-relative. */
export function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (abs: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (['node_modules', 'dist', '.astro'].includes(entry.name)) continue;
      const child = path.join(abs, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (/\.(ts|mts|mjs|astro)$/.test(entry.name)) found.push(path.relative(repoRoot, child));
    }
  };
  walk(path.join(repoRoot, dir));
  return found.sort();
}

/** Where `#contracts/…` points (package.json `imports`). */
const SUBPATH_IMPORTS: Record<string, string> = {
  '#contracts/': 'sandbox-server/src/contracts/',
};

/**
 * The imports of one file, type-only and re-exports included (TypeScript's own pre-parser
 * reads them, so a comment or string that looks like an import does not count).
 */
export function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  // An .astro file's imports are in its frontmatter and <script> tags; the pre-parser
  // tolerates the markup between them.
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map(({ fileName }) => {
    for (const [prefix, target] of Object.entries(SUBPATH_IMPORTS)) {
      if (fileName.startsWith(prefix)) {
        return { from: file, to: target + fileName.slice(prefix.length), specifier: fileName };
      }
    }
    if (!fileName.startsWith('.')) return { from: file, to: fileName, specifier: fileName };
    const to = path.relative(repoRoot, path.resolve(repoRoot, path.dirname(file), fileName));
    return { from: file, to, specifier: fileName };
  });
}
