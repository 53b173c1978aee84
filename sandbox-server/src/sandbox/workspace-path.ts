/** Largest workspace file the API reads or writes (ARCHITECTURE.md: file bodies ≤1 MiB). */
export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Check a workspace-relative path: refuse absolute paths, `..` segments, empty names and NUL
 * bytes, so file access stays inside /root/work. Returns the normalised relative path.
 *
 * @example
 * workspacePath('app/index.html') // 'app/index.html'
 * workspacePath('../etc/passwd')  // throws
 */
export function workspacePath(relPath: string): string {
  if (relPath.includes('\0')) throw new Error('A file path must not contain NUL bytes.');
  if (relPath.startsWith('/'))
    throw new Error(`"${relPath}" is absolute; give a path relative to the workspace.`);
  const parts = relPath.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0) throw new Error('The file path is empty; name a file in the workspace.');
  if (parts.includes('..')) throw new Error(`"${relPath}" leaves the workspace ("..").`);
  return parts.join('/');
}
