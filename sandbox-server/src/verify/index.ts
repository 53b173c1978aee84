/** `handson verify`: every lesson proves its checks fail before and pass after each step. */
export {
  type LessonOutcome,
  mergeRepeats,
  outcomeLabel,
  summaryTable,
  toJsonReport,
  type VerifyReport,
} from './report.ts';
export {
  dindDriver,
  mergePlanRuns,
  resolveLessons,
  runVerify,
  type VerifyOptions,
} from './run-verify.ts';
export { type VerifyEvent, verifyLesson, verifyPlan } from './verify-lesson.ts';
export {
  planLabel,
  planLesson,
  VERIFY_PATHS,
  type VerifyPath,
  type VerifyPlan,
} from './verify-plan.ts';
