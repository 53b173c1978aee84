import type { Command } from 'commander';
import { registerBench } from './bench.ts';
import { registerCluster } from './cluster.ts';
import { registerDev } from './dev.ts';
import { registerDoctor } from './doctor.ts';
import { registerImages } from './images.ts';
import { registerNew } from './new.ts';
import { registerServe } from './serve.ts';
import { registerSetup } from './setup.ts';
import { registerStart } from './start.ts';
import { registerStop } from './stop.ts';
import { registerVerify } from './verify.ts';
import { registerWorkshop } from './workshop.ts';

/** Each CLI command registers itself on the program; this list is the whole CLI. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerImages,
  registerBench,
  registerDoctor,
  registerStop,
  registerSetup,
  registerStart,
  registerServe,
  registerVerify,
  registerNew,
  registerDev,
  registerWorkshop,
  registerCluster,
];
