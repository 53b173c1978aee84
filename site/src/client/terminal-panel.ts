import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { screenText } from './screen-text.ts';
import type { TerminalStep } from './solution.ts';
import { terminalFont, terminalTheme } from './terminal-theme.ts';

/**
 * The learner's terminal on the page: an xterm.js screen with fit-to-size, the colour scheme
 * of the system, screen-reader mode, and copy/paste that works like a desktop terminal
 * (Ctrl/Cmd-Shift-C copies the selection, Ctrl/Cmd-Shift-V pastes, right click copies a
 * selection or pastes). The bytes to and from the sandbox go through a `TerminalLink`.
 */

/** What the panel needs from the connection to the server's terminal. */
export interface TerminalLink {
  /** Send text to the shell as if typed. */
  type(text: string): void;
  dispose(): void;
}

const SR_KEY = 'handson.screenReader';

export class TerminalPanel {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  private link: TerminalLink | undefined;
  private readonly resizeObserver: ResizeObserver;

  constructor(
    private readonly host: HTMLElement,
    notify: (message: string) => void,
    messages: { pasteFailed: string },
    /** Where F6 / Shift-F6 move the focus: the terminal keeps Tab for the shell's completion. */
    private readonly focusExits: {
      next: () => HTMLElement | null;
      previous: () => HTMLElement | null;
    },
  ) {
    const dark = matchMedia('(prefers-color-scheme: dark)');
    this.term = new Terminal({
      // No blinking for people who asked the system for less motion.
      cursorBlink: !matchMedia('(prefers-reduced-motion: reduce)').matches,
      fontFamily: terminalFont(document.documentElement.lang),
      fontSize: 14,
      scrollback: 5000,
      screenReaderMode: readScreenReaderChoice(),
      theme: terminalTheme(dark.matches),
    });
    dark.addEventListener('change', (e) => {
      this.term.options.theme = terminalTheme(e.matches);
    });
    this.term.loadAddon(this.fit);
    this.term.open(host);
    this.fitNow();
    this.resizeObserver = new ResizeObserver(() => this.fitNow());
    this.resizeObserver.observe(host);
    this.term.attachCustomKeyEventHandler((event) => this.onKey(event));
    host.addEventListener('contextmenu', (event) => {
      event.preventDefault();
      if (this.term.hasSelection()) {
        void this.copySelection();
      } else {
        this.pasteFromClipboard().catch(() => notify(messages.pasteFailed));
      }
    });
  }

  /** Connect the screen to the server through `link` (replacing any earlier one). */
  attach(link: TerminalLink): void {
    this.link?.dispose();
    this.link = link;
  }

  /** Type `text` into the shell, as the learner would. */
  type(text: string): void {
    this.link?.type(text);
    this.term.focus();
  }

  /** Run a solution's steps: send bytes, or wait until the screen shows a pattern. */
  async play(steps: readonly TerminalStep[], signal?: AbortSignal): Promise<void> {
    for (const step of steps) {
      if (signal?.aborted) return;
      if ('send' in step) this.type(step.send);
      else await this.waitForScreen(step.waitFor, step.timeoutMs);
    }
  }

  /** Resolve once the screen's text matches `pattern` (false after `timeoutMs`). */
  waitForScreen(pattern: RegExp, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const matches = () => pattern.test(screenText(this.term.buffer.active, this.term.rows));
      if (matches()) return resolve(true);
      const timer = setTimeout(() => {
        sub.dispose();
        resolve(false);
      }, timeoutMs);
      const sub = this.term.onWriteParsed(() => {
        if (!matches()) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(true);
      });
    });
  }

  setScreenReaderMode(on: boolean): void {
    this.term.options.screenReaderMode = on;
    try {
      localStorage.setItem(SR_KEY, on ? '1' : '0');
    } catch {
      // Not remembered; the toggle still works for this page.
    }
  }

  get screenReaderMode(): boolean {
    return this.term.options.screenReaderMode ?? false;
  }

  async pasteFromClipboard(): Promise<void> {
    const text = await navigator.clipboard.readText();
    if (text) this.term.paste(text);
    this.term.focus();
  }

  focus(): void {
    this.term.focus();
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.link?.dispose();
    this.term.dispose();
  }

  private fitNow(): void {
    if (this.host.clientWidth > 0 && this.host.clientHeight > 0) this.fit.fit();
  }

  private async copySelection(): Promise<void> {
    const text = this.term.getSelection();
    if (text) await navigator.clipboard.writeText(text).catch(() => undefined);
  }

  /** Desktop-terminal shortcuts; returning false keeps xterm from sending the key. */
  private onKey(event: KeyboardEvent): boolean {
    if (event.type !== 'keydown') return true;
    if (event.key === 'F6') {
      event.preventDefault();
      (event.shiftKey ? this.focusExits.previous() : this.focusExits.next())?.focus();
      return false;
    }
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (mod && event.shiftKey && key === 'c') {
      void this.copySelection();
      return false;
    }
    // The browser's own paste event then delivers the clipboard to xterm.
    if (mod && event.shiftKey && key === 'v') return false;
    if (event.metaKey && (key === 'c' || key === 'v')) return false;
    return true;
  }
}

function readScreenReaderChoice(): boolean {
  try {
    return localStorage.getItem(SR_KEY) === '1';
  } catch {
    return false;
  }
}
