import { type ContainerCheck, containerKind, containersKind } from './container.ts';
import { type DiffCheck, diffKind } from './diff.ts';
import { type ExecCheck, execKind } from './exec.ts';
import { type FileCheck, fileKind } from './file.ts';
import { type HistoryCheck, historyKind } from './history.ts';
import { type HttpCheck, httpKind } from './http.ts';
import { type ImageCheck, imageKind } from './image.ts';
import { type InspectCheck, inspectKind } from './inspect.ts';
import { type LogsCheck, logsKind } from './logs.ts';
import { type NetworkCheck, networkKind } from './network.ts';
import { type VolumeCheck, volumeKind } from './volume.ts';

/**
 * THE table of check kinds: the lesson schema reads it to parse checks, and the check runner's
 * evaluators (`checks/kinds/`) are typed against it, so a kind is added here, in its own file
 * beside this one, and with its evaluator — nowhere else.
 *
 * Order matters when a check carries two kind-like keys: `{container: web, image: nginx}` is a
 * container check with an image field and `{network: app, containers: [web]}` a network check,
 * so `containers`, `container` and `image` are tried last.
 */
export const CHECK_KINDS = {
  diff: diffKind,
  inspect: inspectKind,
  logs: logsKind,
  exec: execKind,
  http: httpKind,
  network: networkKind,
  volume: volumeKind,
  file: fileKind,
  history: historyKind,
  containers: containersKind,
  container: containerKind,
  image: imageKind,
} as const;

/** A key a check may use in YAML (`containers` included). */
export type CheckKey = keyof typeof CHECK_KINDS;
export const CHECK_KEYS = Object.keys(CHECK_KINDS) as CheckKey[];

/** A check as the server evaluates it (`containers` becomes kind `container` with filters). */
export type Check =
  | ContainerCheck
  | DiffCheck
  | InspectCheck
  | ImageCheck
  | LogsCheck
  | ExecCheck
  | HttpCheck
  | NetworkCheck
  | VolumeCheck
  | FileCheck
  | HistoryCheck;
export type CheckKind = (typeof CHECK_KINDS)[CheckKey]['kind'];
/** The check of one kind. */
export type CheckOf<K extends CheckKind> = Extract<Check, { kind: K }>;

export { CONTAINER_STATES } from './container.ts';
export type {
  ContainerCheck,
  DiffCheck,
  ExecCheck,
  FileCheck,
  HistoryCheck,
  HttpCheck,
  ImageCheck,
  InspectCheck,
  LogsCheck,
  NetworkCheck,
  VolumeCheck,
};
