import { Command } from 'commander';
import { commands } from './commands/index.ts';

const program = new Command('handson')
  .description('A hands-on Docker course in the browser, with a private Docker engine per learner.')
  .showHelpAfterError();

for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`handson: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
