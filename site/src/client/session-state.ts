import type { MessageKey } from './i18n.ts';

/**
 * The sandbox session as the learner sees it, as a pure state machine: the page feeds it
 * events (API answers, socket drops, clock ticks) and renders `describeState`. Keeping it free
 * of DOM and fetch lets unit tests walk every path a learner can hit.
 */

export type SessionState =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'preparing'; expiresAt: number }
  | { kind: 'ready'; expiresAt: number }
  | { kind: 'reconnecting'; expiresAt: number }
  | { kind: 'expired' }
  /** `disk`: the server's disk pool is low (503 disk_low), not a full class. */
  | { kind: 'noCapacity'; retryAt: number; reason?: 'disk' }
  | { kind: 'tooMany'; retryAt: number }
  | { kind: 'failed'; message: string };

export type SessionEvent =
  | { type: 'start' }
  | { type: 'ready'; expiresAt: number }
  | { type: 'preparing' }
  | { type: 'disconnected' }
  | { type: 'connected' }
  | { type: 'extended'; expiresAt: number }
  | { type: 'expired' }
  | { type: 'noCapacity'; retryAt: number; reason?: 'disk' }
  | { type: 'tooMany'; retryAt: number }
  | { type: 'failed'; message: string }
  | { type: 'tick'; now: number };

/** Warn this long before the sandbox expires. */
export const EXPIRY_WARNING_MS = 3 * 60_000;

function expiresAtOf(state: SessionState): number | undefined {
  return 'expiresAt' in state ? state.expiresAt : undefined;
}

/**
 * The next state after `event`.
 *
 * @example
 * let s: SessionState = { kind: 'idle' };
 * s = nextState(s, { type: 'start' });                    // starting
 * s = nextState(s, { type: 'ready', expiresAt: 1e12 });   // ready
 * s = nextState(s, { type: 'disconnected' });             // reconnecting
 */
export function nextState(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'start':
      return state.kind === 'starting' ? state : { kind: 'starting' };
    case 'ready':
      return { kind: 'ready', expiresAt: event.expiresAt };
    case 'preparing':
      return { kind: 'preparing', expiresAt: expiresAtOf(state) ?? Number.POSITIVE_INFINITY };
    case 'disconnected':
      return state.kind === 'ready' ? { kind: 'reconnecting', expiresAt: state.expiresAt } : state;
    case 'connected':
      return state.kind === 'reconnecting' ? { kind: 'ready', expiresAt: state.expiresAt } : state;
    case 'extended': {
      if (state.kind === 'ready' || state.kind === 'reconnecting' || state.kind === 'preparing') {
        return { ...state, expiresAt: event.expiresAt };
      }
      return state;
    }
    case 'expired':
      return { kind: 'expired' };
    case 'noCapacity':
      return event.reason
        ? { kind: 'noCapacity', retryAt: event.retryAt, reason: event.reason }
        : { kind: 'noCapacity', retryAt: event.retryAt };
    case 'tooMany':
      return { kind: 'tooMany', retryAt: event.retryAt };
    case 'failed':
      return { kind: 'failed', message: event.message };
    case 'tick': {
      const expiresAt = expiresAtOf(state);
      if (expiresAt !== undefined && event.now >= expiresAt) return { kind: 'expired' };
      return state;
    }
  }
}

export type BannerAction = 'extend' | 'restart' | 'retry';

export interface Banner {
  key: MessageKey;
  params: Record<string, number | string>;
  tone: 'info' | 'warn' | 'error';
  action?: BannerAction;
  /** Whether the terminal can take input in this state. */
  interactive: boolean;
}

/**
 * What the status banner says in `state` at time `now`, or `undefined` when all is well.
 *
 * @example
 * describeState({ kind: 'ready', expiresAt: now + 60_000 }, now)
 * // { key: 'state.expiring', params: { minutes: 1 }, tone: 'warn', action: 'extend', … }
 */
export function describeState(state: SessionState, now: number): Banner | undefined {
  switch (state.kind) {
    case 'idle':
    case 'starting':
      return { key: 'state.starting', params: {}, tone: 'info', interactive: false };
    case 'preparing':
      return { key: 'state.preparing', params: {}, tone: 'info', interactive: false };
    case 'ready': {
      const left = state.expiresAt - now;
      if (left > EXPIRY_WARNING_MS) return undefined;
      return {
        key: 'state.expiring',
        params: { minutes: Math.max(1, Math.ceil(left / 60_000)) },
        tone: 'warn',
        action: 'extend',
        interactive: true,
      };
    }
    case 'reconnecting':
      return { key: 'state.reconnecting', params: {}, tone: 'warn', interactive: false };
    case 'expired':
      return {
        key: 'state.expired',
        params: {},
        tone: 'error',
        action: 'restart',
        interactive: false,
      };
    case 'noCapacity':
    case 'tooMany':
      return {
        key:
          state.kind === 'tooMany'
            ? 'state.tooMany'
            : state.reason === 'disk'
              ? 'state.diskLow'
              : 'state.noCapacity',
        params: { seconds: Math.max(0, Math.ceil((state.retryAt - now) / 1000)) },
        tone: 'warn',
        interactive: false,
      };
    case 'failed':
      return {
        key: 'state.failed',
        params: { message: state.message },
        tone: 'error',
        action: 'retry',
        interactive: false,
      };
  }
}
