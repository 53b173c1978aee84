import { ApiClient } from './api-client.ts';
import { renderCheck, renderCheckError } from './check-view.ts';
import { doneSteps, fetchServerPasses, type ServerPasses } from './done-steps.ts';
import type { EarlyStart } from './early-session.ts';
import { EditorPanel } from './editor-panel.ts';
import { errorText } from './error-text.ts';
import { t } from './i18n.ts';
import { readLessonConfig } from './lesson-config.ts';
import { needsGoto, ProgressStore, resumeStep } from './progress.ts';
import { SessionController } from './session-controller.ts';
import { describeState } from './session-state.ts';
import { keysToBytes, solutionSteps } from './solution.ts';
import { setupSplit } from './split-pane.ts';
import { StepNavigator } from './step-navigator.ts';
import { connectTerminal, loadTerminalAddons, type TerminalConnection } from './terminal-client.ts';
import { TerminalPanel } from './terminal-panel.ts';
import { loadMembership } from './workshop-membership.ts';

/**
 * The lesson page's wiring: one session, one terminal, one step at a time. Each piece lives
 * in its own module; this function only connects them to the page's buttons. `early` is the
 * session the page's first script already began (`startEarly`), handed to the controller.
 *
 * @example
 * mountLessonPage(root, startEarly({ lesson: 'first-containers', lang: 'en' }));
 */
export function mountLessonPage(
  root: HTMLElement,
  early: Promise<EarlyStart | undefined> | undefined,
): void {
  const { lang, lesson } = readLessonConfig(root);
  const $ = <T extends HTMLElement = HTMLElement>(selector: string) =>
    root.querySelector<T>(selector)!;

  const api = new ApiClient();
  // A workshop learner gets the workshop's banner; its code loads only for them.
  const membership = loadMembership(localStorage);
  if (membership?.lessons.includes(lesson.id)) {
    void import('./workshop-banner.ts').then(({ showWorkshopBanner }) =>
      showWorkshopBanner(root, membership, lesson.id, lang),
    );
  }
  const progress = new ProgressStore(localStorage);
  const stepIds = lesson.steps.map((s) => s.id);
  const session = new SessionController({
    api,
    storage: localStorage,
    lesson: lesson.id,
    lang,
    firstStep: stepIds[0],
    early,
  });
  /** The server's passes (the Check history, other browsers too), shown beside this browser's. */
  let serverPasses: ServerPasses = new Map();
  const done = () => doneSteps(stepIds, progress.get(lesson.id).done, serverPasses.get(lesson.id));
  const nav = new StepNavigator(
    root,
    lang,
    lesson.steps,
    resumeStep(stepIds, progress.get(lesson.id)) ?? '',
  );
  const banner = $('[data-banner]');
  const bannerText = $('[data-banner-text]');
  const bannerAction = $<HTMLButtonElement>('[data-banner-action]');
  const checkResults = $('[data-check-results]');
  const terminal = new TerminalPanel(
    $('[data-terminal]'),
    (m) => say(m),
    { pasteFailed: t(lang, 'terminal.pasteFailed') },
    { next: () => $('[data-check]'), previous: () => $('[data-reset]') },
  );
  const editor = new EditorPanel($('[data-editor]'), lang, api, () => session.credentials);

  setupSplit($('[data-split]'), $('[data-splitter]'));
  void loadTerminalAddons(terminal.term);

  /** Put a short message in the status banner's live region (copy/paste feedback). */
  function say(message: string): void {
    bannerText.textContent = message;
    banner.hidden = false;
  }

  function renderBanner(): void {
    const b = describeState(session.state, Date.now());
    banner.hidden = !b;
    root.classList.toggle('sandbox-busy', b !== undefined && !b.interactive);
    if (!b) return;
    banner.dataset.tone = b.tone;
    bannerText.textContent = t(lang, b.key, b.params);
    bannerAction.hidden = !b.action;
    if (b.action) {
      const key =
        b.action === 'extend'
          ? 'state.extend'
          : b.action === 'restart'
            ? 'state.restart'
            : 'state.retry';
      bannerAction.textContent = t(lang, key);
      bannerAction.dataset.action = b.action;
    }
  }
  session.onChange(renderBanner);
  setInterval(() => {
    session.dispatch({ type: 'tick', now: Date.now() });
    renderBanner();
  }, 1000);
  // Typing and checks move the server's idle timeout: ask it now and then.
  setInterval(() => void session.refresh(), 30_000);

  let terminalConnection: TerminalConnection | undefined;

  /** (Re)attach the terminal to the session's main shell. */
  function connect(): void {
    const s = session.credentials;
    if (!s) return;
    const connection: TerminalConnection = connectTerminal(terminal.term, {
      socketUrl: async () => {
        return api.terminalUrl(s, await session.writeTicket(), location);
      },
      onStatus: (status, detail) => {
        if (status === 'open') session.dispatch({ type: 'connected' });
        if (status === 'reconnecting') session.dispatch({ type: 'disconnected' });
        if (status !== 'closed') return;
        // The learner typed `exit`: a new shell, as a desktop terminal would reopen.
        if (detail.reason === 'exited') connection.restart();
        // The sandbox was replaced (goto, reset) or the session ended: ask the server which;
        // a ready session gets a fresh connection, an expired one shows the banner.
        if (detail.reason === 'session-ended') {
          void session.refresh().then(() => {
            if (session.state.kind === 'ready' && terminalConnection === connection) connect();
          });
        }
      },
      onError: (message) => console.warn('handson terminal:', message),
    });
    terminalConnection = connection;
    terminal.attach(connection);
  }

  /** Bring a fresh sandbox to the current step when earlier steps would be missing. */
  async function catchUp(): Promise<void> {
    progress.setReached(lesson.id, undefined);
    if (nav.index > 0) {
      await session.goto(nav.current);
      progress.setReached(lesson.id, nav.current);
    }
  }

  /** Resume, revive or create the session, then attach the terminal. */
  async function begin(): Promise<void> {
    try {
      const result = await session.start(nav.current);
      // A fresh sandbox created at this step needs no goto; one created at the start may.
      if (result.at) progress.setReached(lesson.id, result.at);
      else if (result.fresh) await catchUp();
      if (result.revived) progress.setReached(lesson.id, nav.current);
      connect();
      showStep(nav.current);
    } catch (error) {
      console.error('handson: the sandbox did not start', error);
    }
  }

  function showStep(id: string, focusTitle = false): void {
    progress.setStep(lesson.id, id);
    nav.show(id, done(), focusTitle);
    checkResults.replaceChildren();
    renderPortLinks();
    void editor.show(nav.step.files);
  }

  /** Move to another step; skipping unfinished ones brings the sandbox there with goto. */
  async function moveTo(id: string): Promise<void> {
    if (id === nav.current) return;
    const jump = needsGoto(stepIds, progress.get(lesson.id), id);
    showStep(id, true);
    if (!jump || !session.credentials) return;
    try {
      await session.goto(id);
      progress.setReached(lesson.id, id);
      // The sandbox may be a new one now: attach to its shell.
      connect();
      await editor.reload();
    } catch (error) {
      console.error('handson: goto failed', error);
    }
  }

  function renderPortLinks(): void {
    const s = session.credentials;
    const links = nav.step.ports.map((port) => {
      const a = document.createElement('a');
      a.textContent = t(lang, 'ports.open', { port });
      a.target = '_blank';
      a.rel = 'noopener';
      if (s) a.href = api.portUrl(s, port);
      return a;
    });
    $('[data-port-links]').replaceChildren(...links);
  }

  root.addEventListener('click', (event) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('button');
    if (!target) return;
    const run = target.closest<HTMLElement>('[data-run]');
    if (run && target.hasAttribute('data-run-type')) {
      // Keys beside a command (`<Run keys="…">`) are pressed right after it.
      const keys = run.dataset.runKeys ? keysToBytes(run.dataset.runKeys) : '';
      terminal.type(`${run.dataset.run}\r${keys}`);
    }
    const keysOnly = target.closest<HTMLElement>('[data-run-keys]');
    if (keysOnly && target.hasAttribute('data-run-press')) {
      terminal.type(keysToBytes(keysOnly.dataset.runKeys ?? ''));
    }
    if (run && target.hasAttribute('data-run-copy')) {
      void navigator.clipboard.writeText(run.dataset.run ?? '').then(
        () => say(t(lang, 'run.copied')),
        () => undefined,
      );
    }
    if (target.dataset.gotoStep) void moveTo(target.dataset.gotoStep);
    if (target.hasAttribute('data-hint-next')) nav.revealHint();
  });

  $('[data-prev]').addEventListener('click', () => {
    const prev = nav.neighbour(-1);
    if (prev) void moveTo(prev);
  });
  $('[data-next]').addEventListener('click', () => {
    const next = nav.neighbour(1);
    if (next) void moveTo(next);
  });

  $<HTMLButtonElement>('[data-check]').addEventListener('click', async (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    const s = session.credentials;
    if (!s) return;
    const step = nav.current;
    button.disabled = true;
    button.textContent = t(lang, 'check.checking');
    try {
      const outcome = await api.check(s, { lesson: lesson.id, step, lang });
      if (outcome.passed) progress.markDone(lesson.id, step);
      renderCheck(checkResults, lang, outcome);
      nav.show(nav.current, done());
    } catch (error) {
      renderCheckError(checkResults, lang, errorText(lang, error));
    } finally {
      button.disabled = false;
      button.textContent = t(lang, 'check.check');
    }
  });

  $('[data-solve]').addEventListener('click', () => {
    const solution = nav.step.solution;
    if (solution !== undefined) void terminal.play(solutionSteps(solution));
  });

  $('[data-reset]').addEventListener('click', async () => {
    if (!session.credentials || !confirm(t(lang, 'reset.confirm'))) return;
    try {
      await session.reset();
      await catchUp();
      connect();
      await editor.reload();
    } catch (error) {
      console.error('handson: reset failed', error);
    }
  });

  bannerAction.addEventListener('click', () => {
    const action = bannerAction.dataset.action;
    if (action === 'extend') void session.extend().catch((e) => say(String(e)));
    if (action === 'restart' || action === 'retry') void begin();
  });

  $<HTMLInputElement>('[data-sr-toggle]').checked = terminal.screenReaderMode;
  $<HTMLInputElement>('[data-sr-toggle]').addEventListener('change', (event) => {
    terminal.setScreenReaderMode((event.currentTarget as HTMLInputElement).checked);
  });
  $('[data-paste]').addEventListener('click', () => {
    terminal.pasteFromClipboard().catch(() => say(t(lang, 'terminal.pasteFailed')));
  });

  $<HTMLFormElement>('[data-port-form]').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem(
      'port',
    ) as HTMLInputElement;
    const port = Number(input.value);
    const s = session.credentials;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      input.setCustomValidity(t(lang, 'ports.invalid'));
      input.reportValidity();
      return;
    }
    input.setCustomValidity('');
    if (s) window.open(api.portUrl(s, port), '_blank', 'noopener');
  });

  showStep(nav.current);
  renderBanner();
  void begin();
  void fetchServerPasses().then((passes) => {
    serverPasses = passes;
    nav.show(nav.current, done());
  });
}
