// Loaded only on steps with files (a dynamic import from editor-panel.ts): Monaco is large,
// and most steps never need it. Only the languages lessons use are registered.
import 'monaco-editor/esm/vs/editor/edcore.main.js';
import 'monaco-editor/esm/vs/basic-languages/cpp/cpp.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/dockerfile/dockerfile.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/html/html.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/python/python.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/shell/shell.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import { languageForFile } from './editor-language.ts';

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment;
  }
}

window.MonacoEnvironment = { getWorker: () => new EditorWorker() };

/** One Monaco editor with a model per workspace file. */
export interface CodeEditor {
  /**
   * Show `file` (creating its model with `text` and `language`, or the name's language).
   * Unsaved edits are kept: a late read from the sandbox never overwrites what was typed.
   */
  open(file: string, text: string, language?: string): void;
  value(file: string): string | undefined;
  /** Record that `file`'s current text is what the sandbox holds (after a save). */
  markSaved(file: string): void;
  onSaveKey(handler: () => void): void;
  focus(): void;
}

/**
 * Create the editor in `host`, following the system's colour scheme.
 *
 * @example
 * const editor = createEditor(host, 'Dockerfile editor');
 * editor.open('Dockerfile', 'FROM busybox\n');
 */
export function createEditor(host: HTMLElement, ariaLabel: string): CodeEditor {
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const editor = monaco.editor.create(host, {
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 14,
    scrollBeyondLastLine: false,
    theme: dark.matches ? 'vs-dark' : 'vs',
    ariaLabel,
    accessibilitySupport: 'auto',
    tabFocusMode: false,
    // Word suggestions that Enter accepts would garble what a learner types line by line.
    quickSuggestions: false,
    wordBasedSuggestions: 'off',
    acceptSuggestionOnEnter: 'off',
  });
  dark.addEventListener('change', (e) => monaco.editor.setTheme(e.matches ? 'vs-dark' : 'vs'));
  const models = new Map<string, monaco.editor.ITextModel>();
  // What each file held when last read from or saved to the sandbox: a model that differs
  // from it has edits the learner has not saved yet.
  const baselines = new Map<string, string>();
  return {
    open(file, text, language) {
      let model = models.get(file);
      if (!model) {
        model = monaco.editor.createModel(text, language ?? languageForFile(file));
        models.set(file, model);
        baselines.set(file, text);
      } else if (model.getValue() === baselines.get(file) && model.getValue() !== text) {
        model.setValue(text);
        baselines.set(file, text);
      }
      editor.setModel(model);
    },
    value: (file) => models.get(file)?.getValue(),
    markSaved(file) {
      const model = models.get(file);
      if (model) baselines.set(file, model.getValue());
    },
    onSaveKey(handler) {
      editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, handler);
    },
    focus: () => editor.focus(),
  };
}
