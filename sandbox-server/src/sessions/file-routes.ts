import { Hono } from 'hono';
import { sessionAuth } from '../http/bearer-auth.ts';
import { limitBody } from '../http/body-limit.ts';
import { DomainError } from '../http/domain-error.ts';
import { MAX_FILE_BYTES, workspacePath } from '../sandbox/workspace-path.ts';
import type { SessionDirectory } from './session-handle.ts';

/** Workspace files are source files and small configs, not data sets. */
export const FILE_LIMIT = MAX_FILE_BYTES;

const tooLarge = () =>
  new DomainError(
    'too_large',
    'too_large',
    `Files are limited to ${FILE_LIMIT} bytes (1 MiB); open a bigger one in the terminal instead.`,
  );

/** The workspace path of a (router-decoded) URL tail; a path leaving `/root/work` is invalid. */
function requestedFile(decoded: string): string {
  try {
    return workspacePath(decoded);
  } catch (error) {
    throw new DomainError('invalid', 'bad_path', (error as Error).message);
  }
}

/** Map a driver's "no such file" into a 404; other failures keep their message. */
function fileError(error: unknown, file: string): never {
  const e = error as NodeJS.ErrnoException;
  if (e instanceof DomainError) throw e;
  if (e?.code === 'ENOENT' || /no such file|not found/i.test(e?.message ?? '')) {
    throw new DomainError(
      'not_found',
      'file_not_found',
      `There is no file "${file}" in the workspace.`,
    );
  }
  if (e?.code === 'EFBIG') throw tooLarge();
  if (e?.code === 'EISDIR' || /is a directory/i.test(e?.message ?? '')) {
    throw new DomainError('invalid', 'is_directory', `"${file}" is a directory, not a file.`);
  }
  throw e;
}

/**
 * `GET|PUT /api/sessions/:id/files/<path>`: raw file bodies under the workspace `/root/work`.
 * A save counts as activity for the idle timeout.
 *
 * @example
 * app.route('/', fileRoutes({ sessions }));
 */
export function fileRoutes({ sessions }: { sessions: SessionDirectory }): Hono {
  const app = new Hono();
  const route = '/api/sessions/:id/files/:path{.+}';
  const auth = sessionAuth(sessions);

  app.get(route, auth, async (c) => {
    const session = c.var.session;
    const file = requestedFile(c.req.param('path'));
    const sandbox = await session.sandbox(c.req.raw.signal);
    let body: Buffer;
    try {
      body = await sandbox.readFile(file);
    } catch (error) {
      fileError(error, file);
    }
    if (body.length > FILE_LIMIT) throw tooLarge();
    return c.body(new Uint8Array(body), 200, { 'Content-Type': 'application/octet-stream' });
  });

  app.put(route, limitBody(FILE_LIMIT), auth, async (c) => {
    const session = c.var.session;
    const file = requestedFile(c.req.param('path'));
    const body = Buffer.from(await c.req.arrayBuffer());
    session.touch();
    const sandbox = await session.sandbox(c.req.raw.signal);
    try {
      await sandbox.writeFile(file, body);
    } catch (error) {
      fileError(error, file);
    }
    return c.body(null, 204);
  });

  return app;
}
