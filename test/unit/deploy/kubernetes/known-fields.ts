import path from 'node:path';
import ts from 'typescript';
import type { Manifest } from './manifests.ts';

/**
 * Fields the Kubernetes schema does not know (a typo such as `hostUser: false` would otherwise
 * be dropped by the API server, and the pod would run without the setting). The models'
 * `validate()` checks types and required fields but lets unknown ones through (the OpenAPI
 * schema has no `additionalProperties: false`), so each document is type-checked instead as an
 * object literal of the model's TypeScript interface, whose excess-property check names them.
 * Returns one message per document with a problem, `file: message`.
 *
 * @example
 * unknownFields([{ file: 'a.yaml', apiVersion: 'v1', kind: 'Pod', spec: { hostUser: false } }])
 * // ["a.yaml Pod: Object literal may only specify known properties, and '\"hostUser\"' …"]
 */
export function unknownFields(manifests: Manifest[]): string[] {
  // Inside the repository, so `kubernetes-models` resolves from its node_modules.
  const virtualFile = path.join(import.meta.dirname, '__manifests__.ts');
  const lines = manifests.map((m, i) => {
    const { file: _file, ...doc } = m;
    return `import type { I${m.kind} as T${i} } from 'kubernetes-models/${m.apiVersion}/${m.kind}';\nexport const d${i}: T${i} = ${JSON.stringify(doc)};`;
  });
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    // ES5's declarations are all a JSON literal needs, and the full lib doubles the time.
    lib: ['lib.es5.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const readSource = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === virtualFile
      ? ts.createSourceFile(name, source, language)
      : readSource(name, language, ...rest);
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => name === virtualFile || exists(name);
  const program = ts.createProgram([virtualFile], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line =
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
    // Each document takes two lines: its import and its constant.
    const m = manifests[Math.floor(line / 2)];
    const where = m ? `${m.file} ${m.kind} ${m.metadata.name}` : 'the generated check';
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}
