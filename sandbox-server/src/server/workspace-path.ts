import { HttpError } from '../http/http-error.ts';

/**
 * A workspace-relative path from a (router-decoded) URL tail, refused when it could leave `/root/work`:
 * absolute paths, `..` segments, empty names or NUL bytes.
 *
 * @example
 * workspacePath('site/index.html') // 'site/index.html'
 * workspacePath('../etc/passwd')   // throws HttpError 400
 */
export function workspacePath(decoded: string): string {
  const refuse = (why: string) =>
    new HttpError(
      400,
      'bad_path',
      `The path "${decoded}" ${why}; give a path inside the workspace, e.g. "app/Dockerfile".`,
    );
  if (decoded === '') throw refuse('is empty');
  if (decoded.includes('\0')) throw refuse('contains a NUL byte');
  if (decoded.startsWith('/') || /^[A-Za-z]:/.test(decoded)) throw refuse('is absolute');
  const parts = decoded.split(/[/\\]/);
  if (parts.includes('..')) throw refuse('contains ".."');
  return parts.filter((p) => p !== '' && p !== '.').join('/');
}
