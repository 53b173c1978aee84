import type { Command } from 'commander';

/** Each CLI command registers itself on the program; this list is the whole CLI. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
