import { createHash } from 'node:crypto';

/**
 * The Content-Security-Policy of one of the site's HTML pages: scripts only from the site itself
 * plus the page's own inline scripts by hash (Astro inlines a few tiny ones), so an injected
 * `<script>` never runs; styles may be inline (Monaco and xterm set them at run time); workers
 * from the site or a blob (Monaco); connections back to this origin only (API and terminals);
 * and no other site may frame the page (clickjacking a learner's terminal).
 *
 * @example
 * contentSecurityPolicy('<script>document.documentElement.classList.add("js")</script>')
 * // "default-src 'self'; script-src 'self' 'sha256-…'; …"
 */
export function contentSecurityPolicy(html: string): string {
  const hashes = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1]!).digest('base64')}'`,
  );
  return [
    "default-src 'self'",
    `script-src ${["'self'", ...new Set(hashes)].join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}
