import type { Lang } from '#contracts/lang.ts';
import type { LimitCounters } from '../sandbox/driver.ts';
import type { LimitKind } from './limit-events.ts';

/**
 * What a learner reads in their terminal when their sandbox hits a limit, in every language the
 * course has (side by side, like a Check's outcome, so they stay in step). One line each, said
 * as what happened and what to do.
 */
const NOTICES: Record<LimitKind, Record<Lang, (c: LimitCounters) => string>> = {
  memory: {
    en: (c) =>
      `Your sandbox reached its memory limit (${size(c.memoryLimitBytes)}): a process was killed ("Killed", exit code 137). Use less memory, or stop containers you no longer need.`,
    ja: (c) =>
      `サンドボックスがメモリの上限 (${size(c.memoryLimitBytes)}) に達したため、プロセスが強制終了されました (「Killed」、終了コード 137)。使うメモリを減らすか、不要なコンテナを止めてください。`,
    zh: (c) =>
      `沙箱达到了内存上限 (${size(c.memoryLimitBytes)})，一个进程被强制终止了（“Killed”，退出码 137）。请少用一些内存，或停止不再需要的容器。`,
  },
  pids: {
    en: (c) =>
      `Your sandbox reached its limit of ${c.pidsMax} processes: new ones cannot start ("Resource temporarily unavailable"). Stop some, or reset the sandbox.`,
    ja: (c) =>
      `サンドボックスのプロセス数が上限 (${c.pidsMax}) に達したため、新しいプロセスを起動できません (「Resource temporarily unavailable」)。いくつか止めるか、サンドボックスをリセットしてください。`,
    zh: (c) =>
      `沙箱的进程数达到了上限 (${c.pidsMax})，新进程无法启动（“Resource temporarily unavailable”）。请停止一些进程，或重置沙箱。`,
  },
  disk: {
    en: (c) =>
      `Your sandbox's disk (${size(c.diskSizeBytes)}) is full: writes fail with "No space left on device". Delete files, or images and containers (docker system prune), to make room.`,
    ja: (c) =>
      `サンドボックスのディスク (${size(c.diskSizeBytes)}) がいっぱいです。書き込みは「No space left on device」で失敗します。ファイルやイメージ、コンテナを削除して (docker system prune) 空きを作ってください。`,
    zh: (c) =>
      `沙箱的磁盘 (${size(c.diskSizeBytes)}) 已满，写入会以“No space left on device”失败。请删除文件，或删除镜像和容器（docker system prune）来腾出空间。`,
  },
  cpu: {
    en: (c) =>
      `Your sandbox is using all of its CPU (${cpus(c.cpus)}): its programs run slower until they finish or are stopped. Other learners are not slowed.`,
    ja: (c) =>
      `サンドボックスが CPU の上限 (${cpus(c.cpus)}) をすべて使っているため、プログラムの動作が遅くなっています。ほかの受講者には影響しません。`,
    zh: (c) =>
      `沙箱正在用满它的全部 CPU (${cpus(c.cpus)})，程序会变慢，直到运行结束或被停止。其他学员不受影响。`,
  },
};

/**
 * The terminal line for a limit hit: on a line of its own, marked as the course's, not the shell's.
 *
 * @example
 * limitNotice('pids', 'en', counters) // '\r\n\x1b[1;33m[handson] Your sandbox reached its limit of 1024 processes: …\x1b[0m\r\n'
 */
export function limitNotice(kind: LimitKind, lang: Lang, c: LimitCounters): string {
  return `\r\n\x1b[1;33m[handson] ${NOTICES[kind][lang](c)}\x1b[0m\r\n`;
}

function size(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  return bytes >= 1024 ** 3
    ? `${+(bytes / 1024 ** 3).toFixed(1)} GiB`
    : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

function cpus(n: number): string {
  return Number.isFinite(n) ? `${+n.toFixed(2)} CPU` : '—';
}
