// A process that takes a database's server lock and waits to be killed (server-lock.spec.ts).
import { acquireServerLock } from '../../../sandbox-server/src/store/server-lock.ts';

const lock = await acquireServerLock(process.argv[2]!);
await lock.announce('http://127.0.0.1:9');
process.stdout.write('held\n');
setInterval(() => undefined, 60_000);
