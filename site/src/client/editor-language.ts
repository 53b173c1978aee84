/**
 * The Monaco language for a workspace file, by name.
 *
 * @example
 * languageForFile('app/Dockerfile')      // 'dockerfile'
 * languageForFile('compose.yaml')        // 'yaml'
 * languageForFile('entrypoint.sh')       // 'shell'
 * languageForFile('counter/app.py')      // 'python'
 * languageForFile('hello/hello.c')       // 'c'
 */
export function languageForFile(file: string): string {
  const name = file.split('/').pop()?.toLowerCase() ?? '';
  if (name === 'dockerfile' || name.startsWith('dockerfile.') || name.endsWith('.dockerfile')) {
    return 'dockerfile';
  }
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'yaml';
  if (name.endsWith('.py')) return 'python';
  if (name.endsWith('.sh') || name.endsWith('.bash') || name === '.bashrc' || name === 'profile') {
    return 'shell';
  }
  if (name.endsWith('.c') || name.endsWith('.h')) return 'c';
  return 'plaintext';
}
