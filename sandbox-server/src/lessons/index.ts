/** Lessons as data: loading and checking lesson folders, and replaying their solutions. */
export { knownImages, shortImageName } from './expected-images.ts';
export { findLesson } from './find-lesson.ts';
export {
  LessonError,
  type LoadedLesson,
  type LoadOptions,
  loadCourse,
  loadLesson,
} from './load-lesson.ts';
export { compareStepIds, proseStepIds } from './prose.ts';
