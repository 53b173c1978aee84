import { z } from 'zod';
import { regexSource } from '../lesson-text.ts';
import { checkKind, commonFields } from './common.ts';

/** `history`: the learner ran a matching command in a terminal during the step. */

export const historyFields = z
  .object({
    ...commonFields,
    matches: regexSource.describe('A command the learner ran in the step, as a regex.'),
  })
  .strict();

export const historyKind = checkKind({
  kind: 'history',
  primary: 'matches',
  fields: historyFields,
});

export type HistoryCheck = { kind: 'history' } & z.output<typeof historyFields>;
