import type { Command } from 'commander';
import type { WorkshopView } from '#contracts/workshop.ts';
import { loadConfig } from '../../config.ts';
import { adminToken } from '../../workshops/admin-token.ts';
import type { RegisterCommand } from './index.ts';

/**
 * `handson workshop create|list|end` and `handson admin-token`: an instructor's class from the
 * terminal. The commands talk to the running `handson serve` over its HTTP API with the admin
 * token (the same one the dashboard page asks for), so the server stays the only owner of
 * sandboxes.
 *
 * @example
 * npx handson workshop create --lessons first-containers,lifecycle --duration 2h --max 30
 */

/** "90", "90m", "2h", "1h30m" → minutes. */
export function parseDuration(text: string): number {
  const m = text.trim().match(/^(?:(\d+)h)?(?:(\d+)m?)?$/i);
  const minutes = m && (m[1] || m[2]) ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : Number.NaN;
  if (!Number.isFinite(minutes) || minutes <= 0) {
    throw new Error(`--duration "${text}": expected minutes or hours, like 90, 90m, 2h or 1h30m.`);
  }
  return minutes;
}

interface ServerOption {
  server: string;
}

async function api<T>(server: string, path: string, init: RequestInit = {}): Promise<T> {
  const token = adminToken(loadConfig());
  let res: Response;
  try {
    res = await fetch(new URL(path, server), {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });
  } catch (error) {
    throw new Error(
      `No handson server answers at ${server} (${(error as Error).message}). Start it with \`npx handson serve\`, or pass --server.`,
    );
  }
  const body = (await res.json().catch(() => undefined)) as
    | (T & { error?: { message: string } })
    | undefined;
  if (!res.ok) throw new Error(body?.error?.message ?? `${res.status} ${res.statusText}`);
  return body as T;
}

function describe(w: WorkshopView, server: string): string {
  return [
    `${w.title}  [${w.state}]`,
    `  join code   ${w.code}`,
    `  join link   ${new URL(w.joinPath, server).href}`,
    `  dashboard   ${new URL(w.dashboardPath, server).href}`,
    `  learners    ${w.learners} of ${w.maxLearners}`,
    `  ends        ${new Date(w.endsAt).toLocaleString()}`,
    `  id          ${w.id}`,
  ].join('\n');
}

export const registerWorkshop: RegisterCommand = (program: Command) => {
  const cfg = loadConfig();
  const defaultServer = `http://${cfg.serve.host}:${cfg.serve.port}`;
  const workshop = program
    .command('workshop')
    .description('Run a class: create a workshop, list them, end one (needs `handson serve`).');

  workshop
    .command('create')
    .description('Create a workshop and print its join code, join link and dashboard link.')
    .requiredOption('--lessons <ids>', 'lesson ids in teaching order, comma-separated')
    .requiredOption('--max <n>', 'how many learners may join', (v) => Number(v))
    .option('--duration <time>', 'how long it runs: 90, 90m, 2h, 1h30m', '2h')
    .option('--title <text>', 'what learners and the dashboard show')
    .option('--lang <ja|en|zh>', 'language of the join page and dashboard', 'en')
    .option('--server <url>', 'the running handson server', defaultServer)
    .action(
      async (
        o: ServerOption & {
          lessons: string;
          max: number;
          duration: string;
          title?: string;
          lang: string;
        },
      ) => {
        const created = await api<WorkshopView>(o.server, '/api/workshops', {
          method: 'POST',
          body: JSON.stringify({
            lessons: o.lessons
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
            maxLearners: o.max,
            durationMinutes: parseDuration(o.duration),
            ...(o.title ? { title: o.title } : {}),
            lang: o.lang,
          }),
        });
        process.stdout.write(`${describe(created, o.server)}\n`);
      },
    );

  workshop
    .command('list')
    .description('List workshops, newest first.')
    .option('--server <url>', 'the running handson server', defaultServer)
    .action(async (o: ServerOption) => {
      const { workshops } = await api<{ workshops: WorkshopView[] }>(o.server, '/api/workshops');
      process.stdout.write(
        workshops.length === 0
          ? 'No workshops yet. Create one with `handson workshop create`.\n'
          : `${workshops.map((w) => describe(w, o.server)).join('\n\n')}\n`,
      );
    });

  workshop
    .command('end <id>')
    .description("End a workshop now: every learner's sandbox is removed.")
    .option('--server <url>', 'the running handson server', defaultServer)
    .action(async (id: string, o: ServerOption) => {
      const ended = await api<WorkshopView>(
        o.server,
        `/api/workshops/${encodeURIComponent(id)}/end`,
        {
          method: 'POST',
        },
      );
      process.stdout.write(`${describe(ended, o.server)}\n`);
    });

  program
    .command('admin-token')
    .description(
      'Print the admin token for the workshop dashboard and API (made once, kept in HANDSON_HOME).',
    )
    .action(() => {
      process.stdout.write(`${adminToken(loadConfig())}\n`);
    });
};
