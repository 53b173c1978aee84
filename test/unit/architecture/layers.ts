/**
 * The rooms of `sandbox-server/src/`, lowest layer first. A room may import rooms of its own
 * layer or below, never above; ARCHITECTURE.md explains each room. A new first-level folder
 * must be added here (the layer test fails until it is).
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['contracts', 'config', 'store', 'http'],
  ['system'],
  ['engine', 'services', 'images'],
  ['sandbox'],
  ['terminal'],
  ['lessons'],
  ['solutions'],
  ['checks', 'sessions', 'progress'],
  ['workshops', 'verify', 'doctor'],
  ['server'],
  ['bench', 'dev', 'cli', 'cluster'],
];

/**
 * Imports that break the order today, `from-room -> to-room`. Each move that straightens one
 * removes its line; the list ends empty.
 */
export const TOLERATED: readonly string[] = [];

/** Production files that import `test/` today; the list ends empty. */
export const TOLERATED_TEST_IMPORTS: readonly string[] = [];
