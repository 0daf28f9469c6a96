/**
 * The shape of src/ that lets the next engineer change it without fear: no import cycles (type
 * imports included), layers that depend only downwards, small files and small functions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SRC = path.resolve('src');
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 60;

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const files = sourceFiles();
const relative = (file: string) => path.relative(SRC, file);
const parsed = new Map(
  files.map((file) => [
    file,
    ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true),
  ]),
);

/** The files of src/ that `file` imports or re-exports from, `import type` included. */
function importsOf(file: string): string[] {
  const found: string[] = [];
  for (const statement of parsed.get(file)!.statements) {
    const specifier =
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : undefined;
    if (specifier?.startsWith('.'))
      found.push(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
  }
  return found;
}

const graph = new Map(files.map((file) => [file, importsOf(file)]));

function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      found.push([...trail.slice(trail.indexOf(file)), file].map(relative));
      return;
    }
    state.set(file, 'visiting');
    for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  return found;
}

describe('the structure of src/', () => {
  it('every import resolves to a file of src/', () => {
    const missing = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => !graph.has(target)).map((t) => `${relative(file)} -> ${t}`),
    );
    expect(missing).toEqual([]);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(cycles()).toEqual([]);
  });

  it.each([
    ['notify/', ['deploy/', 'remote/', 'host-scripts/', 'inputs/']],
    ['report/', ['deploy/', 'remote/', 'host-scripts/', 'inputs/', 'notify/']],
    ['inputs/', ['notify/', 'deploy/', 'report/', 'remote/']],
    ['types/', ['']],
    // The programs are text and need no connection; the connection carries bytes and knows no
    // program. What both need of the wire (quoting, the timeout wrapper, the go line) is shell/.
    ['host-scripts/', ['deploy/', 'inputs/', 'notify/', 'report/', 'remote/']],
    ['remote/', ['deploy/', 'inputs/', 'notify/', 'report/', 'host-scripts/']],
  ])('%s imports nothing of %j', (layer, forbidden) => {
    const offending = [...graph]
      .filter(([file]) => relative(file).startsWith(layer))
      .flatMap(([file, targets]) =>
        targets
          .filter((target) => forbidden.some((prefix) => relative(target).startsWith(prefix)))
          .map((target) => `${relative(file)} -> ${relative(target)}`),
      );
    expect(offending).toEqual([]);
  });

  it('shell/ is a leaf: it imports nothing of src/ outside itself', () => {
    const offending = [...graph]
      .filter(([file]) => relative(file).startsWith('shell/'))
      .flatMap(([file, targets]) =>
        targets
          .filter((target) => !relative(target).startsWith('shell/'))
          .map((target) => `${relative(file)} -> ${relative(target)}`),
      );
    expect(offending).toEqual([]);
  });

  it('no step under deploy/ asks which mode it is in: only the modes read the stack plan', () => {
    const modes = ['deploy/modes.ts', 'deploy/compose-mode.ts', 'deploy/swarm-mode.ts'];
    const asking = files
      .filter((file) => relative(file).startsWith('deploy/') && !modes.includes(relative(file)))
      .filter((file) =>
        /\binputs\.stack\b|\.inputs\.stack\b|\bstack:\s*StackPlan/.test(readFileSync(file, 'utf8')),
      )
      .map(relative);
    expect(asking).toEqual([]);
  });

  it(`has no file longer than ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .map((file) => [relative(file), readFileSync(file, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  it(`has no function longer than ${MAX_FUNCTION_LINES} lines`, () => {
    const long: string[] = [];
    for (const [file, source] of parsed) {
      const visit = (node: ts.Node) => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
          const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
          if (end - start + 1 > MAX_FUNCTION_LINES)
            long.push(`${relative(file)}:${start + 1} (${end - start + 1} lines)`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(long).toEqual([]);
  });
});
