export { DindDriver, type DindOptions, SANDBOX_KIND } from './dind-driver.ts';
export { DEFAULT_LIMITS, SANDBOX_IMAGE } from './profile.ts';
