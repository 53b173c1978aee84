/**
 * Dotted paths into inspect JSON: `NetworkSettings.Ports.80/tcp.0.HostPort`. Keys may contain
 * dots themselves (`Config.Labels.com.example.team`), so at each level the longest key that
 * exists wins; numeric parts index arrays.
 */

export type Lookup = { found: true; value: unknown } | { found: false; missing: string };

/**
 * Look a dotted path up in a JSON value.
 *
 * @example
 * lookupPath({ Ports: { '80/tcp': [{ HostPort: '8080' }] } }, 'Ports.80/tcp.0.HostPort')
 * // { found: true, value: '8080' }
 */
export function lookupPath(root: unknown, path: string): Lookup {
  const parts = path.split('.');
  const walk = (value: unknown, index: number): Lookup => {
    if (index === parts.length) return { found: true, value };
    if (Array.isArray(value)) {
      const part = parts[index]!;
      const at = Number(part);
      if (!/^\d+$/.test(part) || at >= value.length) {
        return { found: false, missing: parts.slice(0, index + 1).join('.') };
      }
      return walk(value[at], index + 1);
    }
    if (typeof value === 'object' && value !== null) {
      for (let end = parts.length; end > index; end -= 1) {
        const key = parts.slice(index, end).join('.');
        if (Object.hasOwn(value, key)) return walk((value as Record<string, unknown>)[key], end);
      }
    }
    return { found: false, missing: parts.slice(0, index + 1).join('.') };
  };
  return walk(root, 0);
}

/** A found value as one line of text, for messages and `contains` / `matches`. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'nothing';
  return JSON.stringify(value);
}
