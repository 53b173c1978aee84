/** The check engine: declarative checks from lesson.yaml, evaluated against a sandbox. */
export { normalizeImageRef, sameImageRef } from './image-ref.ts';
export type { Outcome } from './outcome.ts';
export { checkRoutes } from './routes.ts';
export {
  type CheckResult,
  DEFAULT_WITHIN_S,
  evaluateCheck,
  type RunCheckOptions,
  runChecks,
  type StepCheckResult,
} from './runner.ts';
