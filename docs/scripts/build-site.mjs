#!/usr/bin/env node
/**
 * Builds the documentation site: stages the guide pages with the figure images the CLI generated, then
 * runs typedoc (packages mode, root typedoc.json) over every package plus the staged pages.
 *
 *   node docs/scripts/build-site.mjs [--figures DIR] [--out DIR] [-- typedoc options]
 *
 * --figures (or EMERGE_FIGURES_DIR; default ./figures, what `npx emerge-figures` writes) is where the
 * images come from. A registered figure whose PNG or JSON is missing there is generated at the `smoke`
 * preset into a temporary folder, and its page says so. Images are copied, never hand-placed: the
 * guide page of figure <id> carries the line `<!-- figure: <id> -->`, which becomes the image, where it
 * came from and the claim checks of that run; `<!-- rerun: <id> -->` becomes the commands that rerun it
 * at `full`, on one machine, a Kubernetes Indexed Job and a Slurm array. Every registered figure needs a
 * page, and every page's figure must be registered; `<!-- figure-list -->` in docs/index.md becomes the
 * list of figures in catalogue order. --out (default docs/site) is where typedoc writes the site.
 * Needs the packages built first (`turbo run build`).
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'packages', 'cli', 'dist', 'bin.js');
const guides = join(root, 'docs', 'guides');
/** Where the pages are staged for typedoc; root typedoc.json reads them from here. */
const staging = join(root, 'docs', '.build');
const MARKER = /^<!-- figure: ([a-z0-9-]+) -->$/m;
const RERUN_MARKER = /^<!-- rerun: ([a-z0-9-]+) -->$/m;
/** Shards in the cluster examples. */
const SHARDS = 8;

const { values, positionals: typedocArguments } = parseArgs({
  options: { figures: { type: 'string' }, out: { type: 'string' } },
  allowPositionals: true,
});
const figuresDir = resolve(values.figures ?? process.env.EMERGE_FIGURES_DIR ?? 'figures');
const out = resolve(values.out ?? join(root, 'docs', 'site'));

if (!existsSync(cli)) throw new Error(`${cli} is missing: build the packages first (npx turbo run build)`);

/** Runs the emerge-figures command line and returns its stdout. */
function emergeFigures(args) {
  return execFileSync(process.execPath, [cli, ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

const registry = JSON.parse(emergeFigures(['list', '--json']));
const pages = readdirSync(guides).filter((name) => name.endsWith('.md'));
const pageOfFigure = new Map();
for (const name of pages) {
  const match = MARKER.exec(readFileSync(join(guides, name), 'utf8'));
  if (match) pageOfFigure.set(match[1], name);
}
const registered = new Set(registry.map((figure) => figure.id));
const problems = [
  ...registry
    .filter((figure) => !pageOfFigure.has(figure.id))
    .map(
      (figure) =>
        `figure ${figure.id} has no guide page (docs/guides/${figure.id}.md with "<!-- figure: ${figure.id} -->")`,
    ),
  ...[...pageOfFigure]
    .filter(([id]) => !registered.has(id))
    .map(([id, page]) => `docs/guides/${page} shows figure ${id}, which is not registered`),
];
if (problems.length > 0)
  throw new Error(`the guide pages and the figure registry disagree:\n  ${problems.join('\n  ')}`);

/** Where each figure's PNG and JSON come from. */
const sources = new Map();
const missing = [];
for (const { id } of registry) {
  if (existsSync(join(figuresDir, `${id}.png`)) && existsSync(join(figuresDir, `${id}.json`)))
    sources.set(id, figuresDir);
  else missing.push(id);
}
if (missing.length > 0) {
  const smokeDir = mkdtempSync(join(tmpdir(), 'emerge-docs-figures-'));
  process.stderr.write(
    `docs: ${missing.join(', ')} not in ${figuresDir}; generating at the smoke preset in ${smokeDir}\n`,
  );
  emergeFigures([
    ...missing,
    '--preset',
    'smoke',
    '--out',
    smokeDir,
    '--format',
    'png',
    '--workers',
    '1',
    '--json',
  ]);
  for (const id of missing) sources.set(id, smokeDir);
}

/** Markdown-safe table cell. */
function cell(value) {
  return String(value ?? '')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');
}

/** A claim's measured value for the table: 4 significant digits; JSON has no NaN, so null reads n/a. */
function formatValue(value) {
  if (value === null || value === undefined) return 'n/a';
  return typeof value === 'number' ? String(Number(value.toPrecision(4))) : String(value);
}

/** The text that replaces a page's figure marker: the image, where it came from, its claim checks. */
function figureBlock(id, relativeImage) {
  const result = JSON.parse(readFileSync(join(sources.get(id), `${id}.json`), 'utf8'));
  const provenance = result.provenance ?? {};
  const seconds = Math.round((provenance.durationMs ?? 0) / 1000);
  const fromSmoke = result.preset === 'smoke';
  const lines = [
    `![${result.title}](${relativeImage})`,
    '',
    `*This image: \`emerge-figures ${id} --preset ${result.preset} --seed ${result.seed}\`, ` +
      `${provenance.backend ?? '?'} backend, Node ${provenance.node ?? '?'}, ${seconds} s` +
      `${fromSmoke ? ' — generated at the smoke preset while building these docs, because no generated figure was given; smoke exercises the code and its claims need not hold. Build the docs after `npx emerge-figures` (or with `--figures DIR`) to show the quick preset.' : '.'}*`,
    '',
    `Claim checks of this run (${result.claims.filter((claim) => claim.holds).length} of ${result.claims.length} hold):`,
    '',
    '| claim | measured | threshold | holds |',
    '|---|---|---|---|',
    ...result.claims.map(
      (claim) =>
        `| ${cell(claim.statement)} | ${cell(formatValue(claim.value))} | ${cell(claim.threshold)} | ${claim.holds ? 'yes' : '**no**'} |`,
    ),
  ];
  return lines.join('\n');
}

/** How to rerun a figure at `full` on one machine, on a Kubernetes Indexed Job and on a Slurm array. */
function rerunBlock(id) {
  return `## Rerun at \`full\`

On one machine (hours; \`--workers\` defaults to the number of cores, and an interrupted run resumes from
its cache):

\`\`\`sh
npx emerge-figures ${id} --preset full --out figures-full
\`\`\`

## Shard a \`full\` run over a cluster

A sweep is a list of runs, each a pure function of its config and seed, cached under a key that hashes
both. \`--shard I/N\` computes only share I of N (shares are dealt by run key, so every machine agrees on
the split); \`--shard /N\` reads I from \`JOB_COMPLETION_INDEX\` (Kubernetes) or \`SLURM_ARRAY_TASK_ID\`
(Slurm). A final call without \`--shard\` finds every run in the cache and only draws the figure. All
calls must see the same \`--out\` folder, because the cache lives in \`<out>/.cache\`: put it on shared
storage (a ReadWriteMany volume, NFS, a cluster file system).

Kubernetes, an Indexed Job of ${SHARDS} pods on a shared volume:

\`\`\`yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: emerge-${id}
spec:
  completionMode: Indexed    # each pod gets JOB_COMPLETION_INDEX = 0 .. ${SHARDS - 1}
  completions: ${SHARDS}
  parallelism: ${SHARDS}
  backoffLimitPerIndex: 2    # a failed shard reruns alone and resumes from the cache
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: shard
          image: node:20
          command: ["npx", "--yes", "emerge-figures", "${id}", "--preset", "full",
                    "--shard", "/${SHARDS}", "--out", "/shared/figures-full"]
          resources: { requests: { cpu: "2" } }
          volumeMounts: [{ name: shared, mountPath: /shared }]
      volumes:
        - name: shared
          persistentVolumeClaim: { claimName: emerge-figures }   # ReadWriteMany
\`\`\`

When the Job has completed, draw the figure from the cache (another pod on the same volume, or any
machine that mounts it):

\`\`\`sh
npx emerge-figures ${id} --preset full --out /shared/figures-full
\`\`\`

Slurm, an array of ${SHARDS} tasks and a final job that waits for all of them:

\`\`\`sh
#!/bin/bash
#SBATCH --job-name=emerge-${id}
#SBATCH --array=0-${SHARDS - 1}
#SBATCH --cpus-per-task=2
# SLURM_ARRAY_TASK_ID picks the share; $SHARED is a folder every node mounts.
npx --yes emerge-figures ${id} --preset full --shard /${SHARDS} \\
  --workers "$SLURM_CPUS_PER_TASK" --out "$SHARED/figures-full"
\`\`\`

\`\`\`sh
jobid=$(sbatch --parsable shard-${id}.sh)
sbatch --dependency=afterok:$jobid --wrap "npx --yes emerge-figures ${id} --preset full --out $SHARED/figures-full"
\`\`\``;
}

rmSync(staging, { recursive: true, force: true });
mkdirSync(join(staging, 'guides', 'images'), { recursive: true });
const figureList = (folder) =>
  registry
    .map(
      (figure) =>
        `- ${figure.section} [${figure.title}](${folder}${pageOfFigure.get(figure.id)}) (\`${figure.id}\`)`,
    )
    .join('\n');
writeFileSync(
  join(staging, 'index.md'),
  readFileSync(join(root, 'docs', 'index.md'), 'utf8').replace('<!-- figure-list -->', () =>
    figureList('guides/'),
  ),
);
// The parent page of the figure pages, which lists them in catalogue order (typedoc's `children`).
writeFileSync(
  join(staging, 'guides', 'figures.md'),
  [
    '---',
    'title: Figures',
    'children:',
    ...registry.map((figure) => `  - ./${pageOfFigure.get(figure.id)}`),
    '---',
    '',
    '# Figures',
    '',
    'One page per figure of the catalogue, in the order of the article. Each regenerates with',
    '`npx emerge-figures <id>`.',
    '',
    figureList(''),
    '',
  ].join('\n'),
);
for (const name of pages) {
  let text = readFileSync(join(guides, name), 'utf8');
  const match = MARKER.exec(text);
  if (match) {
    const id = match[1];
    copyFileSync(join(sources.get(id), `${id}.png`), join(staging, 'guides', 'images', `${id}.png`));
    text = text.replace(MARKER, () => figureBlock(id, `images/${id}.png`));
  }
  text = text.replace(RERUN_MARKER, (_, id) => rerunBlock(id));
  writeFileSync(join(staging, 'guides', name), text);
}

execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out, ...typedocArguments],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.stderr.write(`docs: site written to ${out}\n`);
