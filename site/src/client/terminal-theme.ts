import type { ITheme } from '@xterm/xterm';

/** Terminal colours for the system's light or dark scheme (contrast checked against WCAG AA). */
export function terminalTheme(dark: boolean): ITheme {
  return dark
    ? {
        background: '#15171c',
        foreground: '#e6e6e6',
        cursor: '#f0c674',
        selectionBackground: '#44506a',
      }
    : {
        background: '#fbfbfa',
        foreground: '#1d1f23',
        cursor: '#1d4ed8',
        selectionBackground: '#bcd3f5',
        black: '#1d1f23',
        // xterm's default greens, blues, reds and cyans are too pale on a light background
        // (bash's bold prompt failed axe's contrast check): darker shades keep AA.
        red: '#b42318',
        brightRed: '#912018',
        green: '#1a7f37',
        brightGreen: '#116329',
        yellow: '#7a5b00',
        brightYellow: '#7a5b00',
        blue: '#1d4ed8',
        brightBlue: '#1e40af',
        magenta: '#8a3ab9',
        brightMagenta: '#6e2c99',
        cyan: '#0e7490',
        brightCyan: '#155e75',
        white: '#55585e',
        brightWhite: '#2f3136',
      };
}

/**
 * The terminal's font stack for a page whose `<html lang>` is `pageLang`: the CJK fallback
 * matches the page, so Han characters get Chinese shapes on Chinese pages.
 *
 * @example
 * terminalFont('zh-Hans') // 'ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace'
 */
export function terminalFont(pageLang: string): string {
  const cjk = pageLang.toLowerCase().startsWith('zh') ? 'SC' : 'JP';
  return `ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono CJK ${cjk}", monospace`;
}
