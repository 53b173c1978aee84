import type { CheckKind, CheckOf } from '../../contracts/lesson.ts';
import type { Evaluate } from '../context.ts';
import { checkContainer } from './container.ts';
import { checkDiff } from './diff.ts';
import { checkExec } from './exec.ts';
import { checkFile } from './file.ts';
import { checkHistory } from './history.ts';
import { checkHttp } from './http.ts';
import { checkImage } from './image.ts';
import { checkInspect } from './inspect.ts';
import { checkLogs } from './logs.ts';
import { checkNetwork } from './network.ts';
import { checkVolume } from './volume.ts';

/**
 * Each check kind's evaluator, keyed by the kinds of the lesson contract's one table
 * (`contracts/check-kinds/`): a kind added there without an evaluator here does not compile.
 */
export const EVALUATORS: { [K in CheckKind]: Evaluate<CheckOf<K>> } = {
  container: checkContainer,
  diff: checkDiff,
  exec: checkExec,
  file: checkFile,
  history: checkHistory,
  http: checkHttp,
  image: checkImage,
  inspect: checkInspect,
  logs: checkLogs,
  network: checkNetwork,
  volume: checkVolume,
};
