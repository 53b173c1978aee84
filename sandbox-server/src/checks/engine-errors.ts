import { fail, type Outcome } from './outcome.ts';

/**
 * Engine failures as check outcomes: a check never throws at the learner, it says what went
 * wrong and what to do.
 */

/** True for the Engine API's "no such object" answer. */
export function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number } | null)?.statusCode === 404;
}

/** True when the engine itself did not answer (socket gone, refused, reset). */
export function isEngineDown(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE';
}

/** True when what answered on the engine's socket broke a bound or did not speak HTTP. */
export function isEngineHostile(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  return code === 'EMSGSIZE' || code === 'ETIMEDOUT' || code.startsWith('HPE_');
}

/**
 * The outcome for an error thrown while evaluating a check.
 *
 * @example
 * errorOutcome(new Error('connect ENOENT /run/…/docker.sock'))
 */
export function errorOutcome(error: unknown): Outcome {
  const detail = error instanceof Error ? error.message : String(error);
  const outcome = describeError(error, detail);
  return isEngineDown(error) || isEngineHostile(error)
    ? { ...outcome, inconclusive: true }
    : outcome;
}

function describeError(error: unknown, detail: string): Outcome {
  if (isEngineDown(error)) {
    return fail(
      `the Docker engine in your sandbox is not answering (${detail}); wait a moment and check again, or reset the sandbox`,
      `サンドボックスの Docker エンジンが応答しません (${detail})。少し待ってからもう一度チェックするか、サンドボックスをリセットしてください`,
      `你沙箱里的 Docker 引擎没有响应（${detail}）。请稍等片刻再检查一次，或者重置沙箱`,
    );
  }
  if (isEngineHostile(error)) {
    return fail(
      `the Docker engine in your sandbox gave no usable answer (${detail}); if you replaced or reconfigured dockerd or its socket, restore it (or reset the sandbox) and check again`,
      `サンドボックスの Docker エンジンから使える応答がありませんでした (${detail})。dockerd やそのソケットを置き換えたり設定を変えたりした場合は元に戻す (またはサンドボックスをリセットする) してから、もう一度チェックしてください`,
      `你沙箱里的 Docker 引擎没有给出可用的应答（${detail}）。如果你替换或改动过 dockerd 或它的套接字，请先恢复原样（或者重置沙箱），再检查一次`,
    );
  }
  return fail(
    `the check could not be evaluated: ${detail}`,
    `チェックを評価できませんでした: ${detail}`,
    `无法完成这项检查：${detail}`,
  );
}
