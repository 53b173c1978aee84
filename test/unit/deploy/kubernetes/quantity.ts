const SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/**
 * A Kubernetes resource quantity as a number (CPUs or bytes); only the forms the manifests use.
 *
 * @example
 * quantity('160Mi') // 167772160
 * quantity('50m') // 0.05
 */
export function quantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|Ki|Mi|Gi|Ti)?$/.exec(value);
  if (!m) throw new Error(`"${value}" is not a quantity this spec reads`);
  return Number(m[1]) * (SUFFIXES[m[2] ?? ''] ?? Number.NaN);
}
