/**
 * Finds the `@example` code blocks in the doc comments of the packages' sources (read from the syntax
 * tree by the TypeScript compiler API, so a `/**` inside a string cannot fool it), the ```ts blocks of
 * the guide pages, and the public functions and classes that have no example.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One fenced code block of an `@example` tag. */
export interface JsDocExample {
  /** Source file, relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence (of the `@example` tag for an unfenced example). */
  line: number;
  /** Name of the documented declaration. */
  symbol: string;
  /** The code inside the fence. */
  code: string;
  /** The fence's language tag (`ts` is required). */
  language: string;
}

/** The `.ts` sources of `directory`, without tests and test helpers. */
export function sourceFiles(directory: string, skip: (path: string) => boolean = () => false): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (skip(path)) continue;
    if (entry.isDirectory()) files.push(...sourceFiles(path, skip));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts'))
      files.push(path);
  }
  return files.sort();
}

/** The text of a JSDoc comment without its `/**`, `*\/` and leading asterisks. */
function commentBody(text: string): string {
  return text
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n');
}

/** The name under which a declaration is documented, for messages. */
function declarationName(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  if (ts.isVariableStatement(node)) {
    const first = node.declarationList.declarations[0];
    if (first && ts.isIdentifier(first.name)) return first.name.text;
  }
  return ts.SyntaxKind[node.kind];
}

/**
 * Every fenced block inside the `@example` sections of `body` (a section ends at the next block tag). A
 * section without a fence is returned whole with language `''`, so the test can insist on fences.
 */
function examplesOf(body: string): { offsetLines: number; language: string; code: string }[] {
  const lines = body.split('\n');
  const found: { offsetLines: number; language: string; code: string }[] = [];
  let section: { start: number; lines: string[]; fenced: boolean } | undefined;
  let fence: { start: number; language: string; lines: string[] } | undefined;
  const closeSection = () => {
    if (section && !section.fenced && section.lines.some((line) => line.trim() !== ''))
      found.push({ offsetLines: section.start, language: '', code: section.lines.join('\n') });
    section = undefined;
  };
  for (const [index, line] of lines.entries()) {
    if (fence) {
      if (/^\s*```\s*$/.test(line)) {
        if (section)
          found.push({ offsetLines: fence.start, language: fence.language, code: fence.lines.join('\n') });
        fence = undefined;
      } else fence.lines.push(line);
      continue;
    }
    const opening = /^\s*```(\w*)/.exec(line);
    if (opening) {
      fence = { start: index, language: opening[1] ?? '', lines: [] };
      if (section) section.fenced = true;
      continue;
    }
    const tag = /^\s*@(\w+)/.exec(line);
    if (tag) {
      closeSection();
      if (tag[1] === 'example') section = { start: index, lines: [], fenced: false };
      continue;
    }
    section?.lines.push(line);
  }
  closeSection();
  return found;
}

/** Every `@example` code block in `files`; `root` makes the reported paths relative. */
export function collectExamples(files: readonly string[], root: string): JsDocExample[] {
  const examples: JsDocExample[] = [];
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const seen = new Set<number>();
    const visit = (node: ts.Node): void => {
      for (const doc of (node as ts.Node & { jsDoc?: ts.JSDoc[] }).jsDoc ?? []) {
        if (seen.has(doc.pos)) continue;
        seen.add(doc.pos);
        const startLine = source.getLineAndCharacterOfPosition(doc.getStart(source)).line;
        for (const block of examplesOf(commentBody(doc.getText(source)))) {
          examples.push({
            file: relative(root, path),
            line: startLine + block.offsetLines + 1,
            symbol: declarationName(node),
            code: block.code,
            language: block.language,
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return examples;
}

/** Every ```ts block of the markdown `files` (the guide pages), as examples named by their heading. */
export function collectMarkdownExamples(files: readonly string[], root: string): JsDocExample[] {
  const examples: JsDocExample[] = [];
  for (const path of files) {
    const lines = readFileSync(path, 'utf8').split('\n');
    let heading = '';
    let fence: { start: number; lines: string[] } | undefined;
    for (const [index, line] of lines.entries()) {
      if (fence) {
        if (/^```\s*$/.test(line)) {
          examples.push({
            file: relative(root, path),
            line: fence.start + 1,
            symbol: heading,
            code: fence.lines.join('\n'),
            language: 'ts',
          });
          fence = undefined;
        } else fence.lines.push(line);
      } else if (/^```ts\s*$/.test(line)) fence = { start: index, lines: [] };
      else if (line.startsWith('#')) heading = line.replace(/^#+\s*/, '');
    }
  }
  return examples;
}

/** A public export that breaks the documentation rules. */
export interface ExportProblem {
  /** Entry point that exports it, relative to the repository root. */
  entry: string;
  /** Exported name. */
  name: string;
  /** What is missing. */
  problem: 'no doc comment' | 'no @example';
}

/**
 * Checks every export of `entries` (a package's `src/index.ts`, `src/node.ts`): each has a doc comment,
 * and each function and class has an `@example` tag.
 */
export function checkExports(entries: readonly string[], root: string): ExportProblem[] {
  const program = ts.createProgram([...entries], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const problems: ExportProblem[] = [];
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`cannot read the exports of ${entry}`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = symbol.getDeclarations() ?? [];
      const documented = declarations.some(
        (declaration) =>
          ts.getJSDocCommentsAndTags(declaration).length > 0 ||
          symbol.getDocumentationComment(checker).length > 0,
      );
      const record = (problem: ExportProblem['problem']) =>
        problems.push({ entry: relative(root, entry), name: exported.name, problem });
      if (!documented) {
        record('no doc comment');
        continue;
      }
      const needsExample = declarations.some(
        (declaration) => ts.isFunctionDeclaration(declaration) || ts.isClassDeclaration(declaration),
      );
      const hasExample = declarations.some((declaration) =>
        ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'example'),
      );
      if (needsExample && !hasExample) record('no @example');
    }
  }
  return problems;
}
