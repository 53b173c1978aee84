import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from '../http/http-error.ts';
import { requireSession } from '../server/auth.ts';
import type { ServerContext } from '../server/context.ts';
import { workspacePath } from '../server/workspace-path.ts';

/** Workspace files are source files and small configs, not data sets. */
export const FILE_LIMIT = 1024 * 1024;

const tooLarge = () =>
  new HttpError(
    413,
    'too_large',
    `Files are limited to ${FILE_LIMIT} bytes (1 MiB); open a bigger one in the terminal instead.`,
  );

/** Map a driver's "no such file" into a 404; other failures keep their message. */
function fileError(error: unknown, file: string): never {
  const e = error as NodeJS.ErrnoException;
  if (e instanceof HttpError) throw e;
  if (e?.code === 'ENOENT' || /no such file|not found/i.test(e?.message ?? '')) {
    throw new HttpError(404, 'file_not_found', `There is no file "${file}" in the workspace.`);
  }
  if (e?.code === 'EFBIG') throw tooLarge();
  if (e?.code === 'EISDIR' || /is a directory/i.test(e?.message ?? '')) {
    throw new HttpError(400, 'is_directory', `"${file}" is a directory, not a file.`);
  }
  throw e;
}

/**
 * `GET|PUT /api/sessions/:id/files/<path>`: raw file bodies under the workspace `/root/work`.
 * A save counts as activity for the idle timeout.
 *
 * @example
 * app.route('/', fileRoutes(ctx));
 */
export function fileRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  const route = '/api/sessions/:id/files/:path{.+}';

  app.get(route, async (c) => {
    const session = requireSession(c, ctx.sessions);
    const file = workspacePath(c.req.param('path'));
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

  app.put(
    route,
    bodyLimit({
      maxSize: FILE_LIMIT,
      onError: () => {
        throw tooLarge();
      },
    }),
    async (c) => {
      const session = requireSession(c, ctx.sessions);
      const file = workspacePath(c.req.param('path'));
      const body = Buffer.from(await c.req.arrayBuffer());
      session.touch();
      const sandbox = await session.sandbox(c.req.raw.signal);
      try {
        await sandbox.writeFile(file, body);
      } catch (error) {
        fileError(error, file);
      }
      return c.body(null, 204);
    },
  );

  return app;
}
