import { z } from 'zod';

/**
 * The parts of the course, in the order the course index shows them. A lesson names its part in
 * `lesson.yaml` (`part: images`); the site holds each part's title in every language.
 */
export const PARTS = [
  'basics',
  'images',
  'networking-and-data',
  'building',
  'running-well',
] as const;
export type Part = (typeof PARTS)[number];

export const partSchema = z
  .enum(PARTS)
  .describe('The part of the course the index lists the lesson under.');
