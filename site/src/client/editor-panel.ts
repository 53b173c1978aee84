import type { EditorFileView } from '../lib/lesson-view.ts';
import type { ApiClient, SessionCredentials } from './api-client.ts';
import { errorText } from './error-text.ts';
import { type Lang, t } from './i18n.ts';
import type { CodeEditor } from './monaco-editor.ts';

/**
 * The editor area of a lesson page: hidden on steps without files; on steps with files it
 * loads Monaco (once, lazily), shows one tab per file, reads each file from the sandbox's
 * workspace and saves it back with the Save button or Ctrl/Cmd-S. When a step shows, every
 * one of its files that the workspace lacks gets its starting content (not only the open
 * tab's), so the prose's commands find them all; a file already there is never overwritten.
 */
export class EditorPanel {
  private editor: Promise<CodeEditor> | undefined;
  private files: EditorFileView[] = [];
  private current: string | undefined;
  /** Bumped by each open(): only the newest read of a file may reach the editor. */
  private generation = 0;
  private readonly tabs: HTMLElement;
  private readonly host: HTMLElement;
  private readonly status: HTMLElement;
  private readonly saveButton: HTMLButtonElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly lang: Lang,
    private readonly api: ApiClient,
    private readonly credentials: () => SessionCredentials | undefined,
  ) {
    this.tabs = root.querySelector('[data-editor-tabs]')!;
    this.host = root.querySelector('[data-editor-host]')!;
    this.status = root.querySelector('[data-editor-status]')!;
    this.saveButton = root.querySelector('[data-editor-save]')!;
    this.saveButton.addEventListener('click', () => void this.save());
  }

  /** Show the editor for `files`, or hide it when the step has none. */
  async show(files: readonly EditorFileView[]): Promise<void> {
    this.files = [...files];
    this.root.hidden = files.length === 0;
    if (files.length === 0) return;
    this.renderTabs();
    this.status.textContent = t(this.lang, 'editor.loading');
    // Showing the same step again (the sandbox became ready) keeps the learner's open tab.
    const keep = files.some((f) => f.path === this.current) ? this.current : undefined;
    await this.open(keep ?? files[0]!.path);
  }

  /** Re-read the open files from the sandbox (after reset or goto changed them). */
  async reload(): Promise<void> {
    if (this.current && !this.root.hidden) await this.open(this.current);
  }

  /**
   * Write the starting content of each of the step's files that the workspace does not have
   * yet, except `skip` (the file being opened, which read() writes itself).
   */
  private async seed(skip: string): Promise<void> {
    const s = this.credentials();
    if (!s) return;
    const missing = this.files.filter((f) => f.path !== skip && (f.content ?? '') !== '');
    await Promise.all(
      missing.map(async ({ path, content }) => {
        try {
          if ((await this.api.readFile(s, path)) === null) {
            await this.api.writeFile(s, path, content!);
          }
        } catch (error) {
          this.status.textContent = t(this.lang, 'editor.loadFailed', {
            file: path,
            message: errorText(this.lang, error),
          });
        }
      }),
    );
  }

  async save(): Promise<boolean> {
    const s = this.credentials();
    const file = this.current;
    if (!s || !file || !this.editor) return false;
    const editor = await this.editor;
    const text = editor.value(file) ?? '';
    try {
      await this.api.writeFile(s, file, text);
      editor.markSaved(file);
      this.status.textContent = t(this.lang, 'editor.saved', { file });
      return true;
    } catch (error) {
      this.status.textContent = t(this.lang, 'editor.saveFailed', {
        file,
        message: errorText(this.lang, error),
      });
      return false;
    }
  }

  private load(): Promise<CodeEditor> {
    this.editor ??= import('./monaco-editor.ts').then(({ createEditor }) => {
      const editor = createEditor(this.host, t(this.lang, 'editor.label'));
      editor.onSaveKey(() => void this.save());
      return editor;
    });
    return this.editor;
  }

  private async open(file: string): Promise<void> {
    const generation = ++this.generation;
    this.current = file;
    this.renderTabs();
    this.saveButton.setAttribute('aria-label', t(this.lang, 'editor.saveLabel', { file }));
    // Busy until the file's text is in the editor and the step's other files are in the
    // workspace (screen readers, and tests, wait for it).
    this.host.setAttribute('aria-busy', 'true');
    try {
      await Promise.all([this.read(file, generation), this.seed(file)]);
    } finally {
      if (generation === this.generation) this.host.removeAttribute('aria-busy');
    }
  }

  private async read(file: string, generation: number): Promise<void> {
    const editor = await this.load();
    this.status.textContent = '';
    const s = this.credentials();
    let text = '';
    if (s) {
      try {
        const existing = await this.api.readFile(s, file);
        text = existing ?? this.files.find((f) => f.path === file)?.content ?? '';
        // A step's starting content is written once, so the terminal sees the same file.
        if (existing === null && text !== '') await this.api.writeFile(s, file, text);
      } catch (error) {
        this.status.textContent = t(this.lang, 'editor.loadFailed', {
          file,
          message: errorText(this.lang, error),
        });
      }
    }
    // A newer open() (another tab, the sandbox becoming ready) supersedes this read.
    if (generation !== this.generation) return;
    editor.open(file, text, this.files.find((f) => f.path === file)?.language);
  }

  private renderTabs(): void {
    this.tabs.replaceChildren(
      ...this.files.map(({ path: file }) => {
        const tab = document.createElement('button');
        tab.type = 'button';
        tab.setAttribute('role', 'tab');
        tab.setAttribute('aria-selected', String(file === this.current));
        tab.tabIndex = file === this.current ? 0 : -1;
        tab.textContent = file;
        tab.addEventListener('click', () => void this.open(file));
        tab.addEventListener('keydown', (event) => this.onTabKey(event, file));
        return tab;
      }),
    );
  }

  /** Arrow keys move between tabs, as the WAI-ARIA tabs pattern expects. */
  private onTabKey(event: KeyboardEvent, file: string): void {
    const paths = this.files.map((f) => f.path);
    const i = paths.indexOf(file);
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const next = paths[(i + delta + paths.length) % paths.length]!;
    void this.open(next).then(() => {
      this.tabs.querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
    });
  }
}
