/** `handson verify`: every lesson proves its checks fail before and pass after each solution. */
export {
  type LessonOutcome,
  mergeRepeats,
  summaryTable,
  toJsonReport,
  type VerifyReport,
} from './report.ts';
export { dindDriver, resolveLessons, runVerify, type VerifyOptions } from './run-verify.ts';
export { type VerifyEvent, verifyLesson } from './verify-lesson.ts';
