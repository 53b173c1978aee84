import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImportEdge, importsOf, sourceFiles } from './import-graph.ts';
import { LAYERS, TOLERATED, TOLERATED_TEST_IMPORTS } from './layers.ts';

const SERVER_SRC = 'sandbox-server/src/';

/** The first-level folder of a server source file (`config.ts` is the room `config`). */
function roomOf(file: string): string | undefined {
  if (!file.startsWith(SERVER_SRC)) return undefined;
  const first = file.slice(SERVER_SRC.length).split('/')[0] ?? '';
  return first.replace(/\.(ts|js)$/, '');
}

const layerOf = new Map(LAYERS.flatMap((rooms, layer) => rooms.map((r) => [r, layer] as const)));
const serverImports: ImportEdge[] = sourceFiles(SERVER_SRC).flatMap(importsOf);

/** Imports between two different rooms, as `from -> to` with the files that make them. */
function roomEdges(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const { from, to } of serverImports) {
    const a = roomOf(from);
    const b = roomOf(to);
    if (!a || !b || a === b) continue;
    const key = `${a} -> ${b}`;
    edges.set(key, [...(edges.get(key) ?? []), path.relative(SERVER_SRC, from)]);
  }
  return edges;
}

describe('the layers of sandbox-server/src', () => {
  it('every room has a layer', () => {
    const rooms = new Set(sourceFiles(SERVER_SRC).map((f) => roomOf(f)));
    const unplaced = [...rooms].filter((r) => r !== undefined && !layerOf.has(r));
    expect(unplaced, 'add new rooms to LAYERS in layers.ts').toEqual([]);
  });

  it('no room imports a room above it', () => {
    const upward = [...roomEdges()]
      .filter(([key]) => {
        const [a, b] = key.split(' -> ') as [string, string];
        return (layerOf.get(b) ?? 0) > (layerOf.get(a) ?? 0);
      })
      .filter(([key]) => !TOLERATED.includes(key))
      .map(([key, files]) => `${key} (${[...new Set(files)].join(', ')})`);
    expect(upward).toEqual([]);
  });

  it('rooms of one layer do not import each other both ways', () => {
    const edges = roomEdges();
    const twoWay = [...edges.keys()].filter((key) => {
      const [a, b] = key.split(' -> ');
      const back = `${b} -> ${a}`;
      return edges.has(back) && !TOLERATED.includes(key) && !TOLERATED.includes(back);
    });
    expect(twoWay).toEqual([]);
  });

  it('the tolerated list names only imports that still exist', () => {
    const edges = roomEdges();
    expect(TOLERATED.filter((key) => !edges.has(key))).toEqual([]);
  });
});

describe('production code', () => {
  it('never imports test/', () => {
    const production = [...sourceFiles(SERVER_SRC), ...sourceFiles('site')];
    const intoTests = production
      .flatMap(importsOf)
      .filter(({ from, to }) => to.startsWith('test/') && !TOLERATED_TEST_IMPORTS.includes(from))
      .map(({ from, to }) => `${from} -> ${to}`);
    expect(intoTests).toEqual([]);
  });

  it('the tolerated list names only files that still import test/', () => {
    const stillImporting = new Set(
      TOLERATED_TEST_IMPORTS.flatMap(importsOf)
        .filter(({ to }) => to.startsWith('test/'))
        .map(({ from }) => from),
    );
    expect(TOLERATED_TEST_IMPORTS.filter((f) => !stillImporting.has(f))).toEqual([]);
  });
});

describe('the contracts', () => {
  it('are imported by one name, #contracts/…, from outside sandbox-server/src', () => {
    const outside = [...sourceFiles('site'), ...sourceFiles('test'), ...sourceFiles('content')];
    const spelledOut = outside
      .flatMap(importsOf)
      .filter(
        ({ to, specifier }) =>
          to.startsWith(`${SERVER_SRC}contracts/`) && specifier.startsWith('.'),
      )
      .map(({ from, specifier }) => `${from}: ${specifier}`);
    expect(spelledOut).toEqual([]);
  });
});
