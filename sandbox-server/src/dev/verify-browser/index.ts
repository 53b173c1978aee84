/** `handson verify --browser`: lessons taken on their built pages in chromium. */
export { type BrowserPlan, verifyInBrowser } from './browser-lesson.ts';
export { browserLabel, planBrowser } from './browser-plan.ts';
export { type BrowserSite, startBrowserSite } from './browser-site.ts';
