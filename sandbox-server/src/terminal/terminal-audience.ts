import {
  CLOSE_CODES,
  type ClientControl,
  type ServerControl,
  TERMINAL_LIMITS,
  type TerminalMode,
} from '#contracts/terminal-protocol.ts';
import { AckWindow, type PauseGate } from './flow-control.ts';
import type { HeadlessScreen } from './headless-screen.ts';

/** One end that watches or drives a terminal: a WebSocket, or a test double. */
export interface TerminalClient {
  readonly mode: TerminalMode;
  sendBytes(chunk: Uint8Array): void;
  sendControl(message: ServerControl): void;
  /** Bytes queued for this client but not yet written to its connection. */
  bufferedBytes(): number;
  close(code: number, reason: string): void;
}

/** What a connection may do once attached. */
export interface Attachment {
  input(data: Uint8Array): void;
  control(message: ClientControl): void;
  detach(): void;
}

/** What the audience needs of its terminal. */
export interface AudienceStage {
  readonly screen: HeadlessScreen;
  /** Held by the writer while its acks lag behind (key `writer`). */
  readonly gate: PauseGate;
  /** The writer's keystrokes, on their way to the shell. */
  input(data: Uint8Array): void;
  /** The writer's terminal size changed. */
  resize(size: { cols: number; rows: number }): void;
  /** The shell's exit code once it has exited. */
  exitCode(): number | undefined;
}

/** A viewer more than this far behind is skipped ahead to the current screen. */
const VIEWER_BEHIND_BYTES = 1024 * 1024;
/** A viewer that cannot take even a fresh screen for this long is dropped. */
const VIEWER_DROP_MS = 30_000;
// ESC c (full reset) so a reconnecting xterm drops what it showed before the screen arrives.
const RESET = '\x1bc';

interface ClientState {
  client: TerminalClient;
  syncing: boolean;
  queue: Uint8Array[];
  window?: AckWindow;
  behindSince?: number;
}

/**
 * Who watches a terminal: one writer and any number of read-only viewers. Each first gets the
 * current screen, then live output. Only the writer's acks hold the shell back; a viewer that
 * falls behind is skipped ahead to a fresh screen, and dropped if it cannot take even that.
 *
 * @example
 * const audience = new TerminalAudience(stage);
 * const attachment = audience.attach(socketClient);
 * audience.broadcast(chunk);
 */
export class TerminalAudience {
  private readonly clients = new Set<ClientState>();
  private writer: ClientState | undefined;
  private readonly viewerTimer: NodeJS.Timeout;

  constructor(private readonly stage: AudienceStage) {
    // Viewers catch up when their socket drains, even while the shell is quiet.
    this.viewerTimer = setInterval(() => this.checkViewers(), 500);
    this.viewerTimer.unref();
  }

  /** Whether a writer is attached (its xterm then answers the shell's terminal queries). */
  get hasWriter(): boolean {
    return this.writer !== undefined;
  }

  /** A new writer replaces the previous one (closed with `replaced`). */
  attach(client: TerminalClient): Attachment {
    const state: ClientState = { client, syncing: true, queue: [] };
    if (client.mode === 'write') {
      if (this.writer) this.drop(this.writer, CLOSE_CODES.replaced, 'another writer took over');
      state.window = new AckWindow();
      this.writer = state;
    }
    this.clients.add(state);
    this.sendScreen(state);
    return {
      input: (data) => {
        if (this.writer === state) this.stage.input(data);
      },
      control: (message) => this.control(state, message),
      detach: () => this.forget(state),
    };
  }

  /** Output of the shell, already written to the screen, to every client. */
  broadcast(chunk: Uint8Array): void {
    for (const state of this.clients) {
      if (state.syncing) state.queue.push(chunk);
      else this.deliver(state, chunk);
    }
  }

  /** The shell exited: every client that has its screen is told, then closed. */
  announceExits(): void {
    for (const state of [...this.clients]) if (!state.syncing) this.announceExit(state);
  }

  /** Close every client and stop watching viewers. */
  closeAll(code: number, reason: string): void {
    clearInterval(this.viewerTimer);
    for (const state of [...this.clients]) this.drop(state, code, reason);
  }

  private deliver(state: ClientState, chunk: Uint8Array): void {
    if (state.window) {
      state.client.sendBytes(chunk);
      if (state.window.sent(chunk.length)) this.stage.gate.hold('writer');
      return;
    }
    if (state.behindSince !== undefined) return;
    if (state.client.bufferedBytes() > VIEWER_BEHIND_BYTES) {
      // Skipped, not buffered: it gets a fresh screen once its socket drains.
      state.behindSince = Date.now();
      return;
    }
    state.client.sendBytes(chunk);
  }

  private sendScreen(state: ClientState): void {
    const { screen } = this.stage;
    state.syncing = true;
    state.queue = [];
    screen.atCurrentPosition(() => {
      if (!this.clients.has(state)) return;
      const serialized = Buffer.from(RESET + screen.serialize(), 'utf8');
      state.syncing = false;
      state.behindSince = undefined;
      const queued = state.queue;
      state.queue = [];
      this.deliver(state, serialized);
      for (const chunk of queued) this.deliver(state, chunk);
      if (this.stage.exitCode() !== undefined) this.announceExit(state);
    });
  }

  private control(state: ClientState, message: ClientControl): void {
    if (message.type === 'ack') {
      if (state.window?.acked(message.bytes)) this.stage.gate.release('writer');
    } else if (this.writer === state) {
      this.stage.resize({ cols: message.cols, rows: message.rows });
    }
  }

  private checkViewers(): void {
    for (const state of this.clients) {
      if (state.behindSince === undefined || state.syncing) continue;
      if (state.client.bufferedBytes() < TERMINAL_LIMITS.lowWaterBytes) this.sendScreen(state);
      else if (Date.now() - state.behindSince > VIEWER_DROP_MS) {
        this.drop(state, CLOSE_CODES.tooSlow, 'viewer too far behind');
      }
    }
  }

  private announceExit(state: ClientState): void {
    state.client.sendControl({ type: 'exit', code: this.stage.exitCode() ?? 0 });
    this.drop(state, CLOSE_CODES.exited, 'shell exited');
  }

  private drop(state: ClientState, code: number, reason: string): void {
    this.forget(state);
    state.client.close(code, reason);
  }

  private forget(state: ClientState): void {
    if (!this.clients.delete(state)) return;
    if (this.writer === state) {
      this.writer = undefined;
      this.stage.gate.release('writer');
    }
  }
}
