/**
 * `npm run bench`: runs each chosen workload in its own child process (ours, then PyTorch when
 * available), writes the results as JSON, prints a Markdown table, and with `--write-readme` puts the
 * table into bench/README.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchArgumentError, type BenchOptions, parseArguments, USAGE } from './arguments.js';
import { timeCatalogue } from './catalogue.js';
import { lastJsonLine, runChild } from './child-process.js';
import { machineFacts } from './machine-facts.js';
import type { Measurement } from './measurement.js';
import { PYTHON, probePytorch } from './pytorch-reference.js';
import {
  formatMs,
  formatResultsTable,
  type ReferenceStatus,
  replaceBetweenMarkers,
  type SideResult,
  type WorkloadResult,
} from './results-table.js';
import { workloadSpec } from './workload-specs.js';

const benchRoot = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = resolve(benchRoot, '..');

/** Runs one side in a child process; a failure becomes an `error` entry instead of ending the suite. */
async function measureSide(command: string, args: string[]): Promise<SideResult> {
  try {
    const output = await runChild(command, args, benchRoot);
    return lastJsonLine(output) as Measurement;
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function describe(side: SideResult): string {
  return 'error' in side ? `failed (${side.error})` : `${formatMs(side.medianMs)} ms median`;
}

async function runSuite(options: BenchOptions, start: Date): Promise<void> {
  const reference: ReferenceStatus = options.reference
    ? await probePytorch()
    : { available: false, description: '--no-reference was given' };
  const results: WorkloadResult[] = [];
  for (const [index, name] of options.only.entries()) {
    const spec = workloadSpec(name);
    const repeats = options.repeats ?? spec.defaultRepeats;
    const progress = `[${index + 1}/${options.only.length}] ${name}`;
    process.stderr.write(`${progress}: ours (${repeats} repeats)...\n`);
    const ours = await measureSide(process.execPath, [
      join(benchRoot, 'dist/worker.js'),
      name,
      String(repeats),
    ]);
    process.stderr.write(`${progress}: ours ${describe(ours)}\n`);
    const { unit, shape, flops, formula } = spec;
    const result: WorkloadResult = { name, unit, shape, flops, formula, repeats, ours };
    if (reference.available) {
      const script = join(benchRoot, 'reference/pytorch_workloads.py');
      result.pytorch = await measureSide(PYTHON, [
        script,
        name,
        '--repeats',
        String(repeats),
        '--threads',
        '1',
      ]);
      process.stderr.write(`${progress}: PyTorch ${describe(result.pytorch)}\n`);
    }
    results.push(result);
  }
  const catalogue = options.catalogue ? await runCatalogue(options.catalogueOut) : undefined;
  const firstMeasured = results.map((result) => result.ours).find((side) => !('error' in side));
  const backend = firstMeasured && !('error' in firstMeasured) ? firstMeasured.details['backend'] : undefined;
  const report = {
    machine: machineFacts(start),
    backend: backend ?? 'unknown',
    reference,
    workloads: results,
    ...(catalogue ? { catalogue } : {}),
  };
  const outputPath = resolve(benchRoot, options.output);
  mkdirSync(dirname(outputPath), { recursive: true });
  writeFileSync(outputPath, `${JSON.stringify(report, null, 2)}\n`);
  const machine = report.machine;
  const context =
    `Measured ${machine.date.slice(0, 10)} on ${machine.cpuModel} (${machine.cores} cores, load average ` +
    `${machine.loadAverageAtStart} at start), Node ${machine.node}, backend ${report.backend}.`;
  const catalogueLine = catalogue
    ? `\nQuick catalogue end to end: ${formatMs(catalogue.wallMs / 1000)} s wall, ` +
      `${catalogue.claimsHolding}/${catalogue.claimCount} claims hold over ${catalogue.figures} figures ` +
      `(exit code ${catalogue.exitCode}).\n`
    : '';
  const table = `${context}\n\n${formatResultsTable(results, reference)}${catalogueLine}`;
  process.stdout.write(`\n${table}\nResults written to ${outputPath}\n`);
  if (options.writeReadme) {
    const readmePath = join(benchRoot, 'README.md');
    writeFileSync(readmePath, replaceBetweenMarkers(readFileSync(readmePath, 'utf8'), table));
    process.stdout.write(`Table written into ${readmePath}\n`);
  }
}

async function runCatalogue(keepIn: string | undefined) {
  process.stderr.write('catalogue: emerge-figures --preset quick (about 15 minutes)...\n');
  const catalogue = await timeCatalogue(repositoryRoot, 'quick', keepIn && resolve(keepIn));
  process.stderr.write(`catalogue: ${formatMs(catalogue.wallMs / 1000)} s\n`);
  return catalogue;
}

const start = new Date();
try {
  const options = parseArguments(process.argv.slice(2));
  if (options.help) process.stdout.write(USAGE);
  else await runSuite(options, start);
} catch (error) {
  if (!(error instanceof BenchArgumentError)) throw error;
  process.stderr.write(`bench: ${error.message}\n`);
  process.exitCode = 2;
}
