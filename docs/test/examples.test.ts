/**
 * Runs every `@example` of the packages' doc comments, and every ```ts block of the guide pages, against
 * the BUILT packages, so an example that stops compiling or stops giving the value its `// =>` comment
 * shows fails here. Each example is a complete module with its own imports; `console.assert` throws while
 * they run, so the checks written into the examples are real checks.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import ts from 'typescript';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkExports, collectExamples, collectMarkdownExamples, sourceFiles } from './jsdoc-examples.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const packages = ['core', 'transformer', 'optim', 'viz', 'cli'];
/** The figure files of the CLI document internals that its public entry does not export. */
const skipPath = (path: string) => path.includes(join('packages', 'cli', 'src', 'figures'));
const guides = join(root, 'docs', 'guides');
const examples = [
  ...collectExamples(
    packages.flatMap((name) => sourceFiles(join(root, 'packages', name, 'src'), skipPath)),
    root,
  ),
  ...collectMarkdownExamples(
    readdirSync(guides)
      .filter((name) => name.endsWith('.md'))
      .map((name) => join(guides, name)),
    root,
  ),
];
/** Inside docs/ so that bare imports resolve through the workspace's node_modules. */
const scratch = join(root, 'docs', '.examples');

const originalAssert = console.assert;
beforeAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  console.assert = (condition?: boolean, ...message: unknown[]) => {
    if (!condition) throw new Error(`console.assert failed: ${message.map(String).join(' ')}`);
  };
});
afterAll(() => {
  console.assert = originalAssert;
});
// An example that registers or selects another backend (wasm) must not change where the next one runs.
beforeEach(async () => {
  await tf.setBackend('cpu');
});

describe('public API documentation', () => {
  it('documents every export, with an @example on every function and class', () => {
    const entries = packages
      .flatMap((name) => ['index.ts', 'node.ts'].map((file) => join(root, 'packages', name, 'src', file)))
      .filter((path) => existsSync(path));
    const problems = checkExports(entries, root).map((problem) => `${problem.entry}: ${problem.name}`);
    expect(problems.sort()).toEqual([]);
  });

  it('finds the examples and fences each as ts', () => {
    expect(examples.length).toBeGreaterThan(50);
    expect(examples.filter((example) => example.language !== 'ts').map((e) => `${e.file}:${e.line}`)).toEqual(
      [],
    );
  });
});

describe('@example blocks and guide code run against the built packages', () => {
  for (const [index, example] of examples.entries()) {
    it(`${example.file}:${example.line} (${example.symbol})`, async () => {
      const { outputText, diagnostics } = ts.transpileModule(example.code, {
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: true,
        },
        reportDiagnostics: true,
        fileName: 'example.ts',
      });
      expect(
        diagnostics?.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')),
      ).toEqual([]);
      const path = join(scratch, `example-${index}.mjs`);
      writeFileSync(path, outputText);
      await import(/* @vite-ignore */ pathToFileURL(path).href);
    });
  }
});
