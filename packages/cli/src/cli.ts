import { createRequire } from 'node:module';

/** Where the command line writes; injected so commands are testable without spawning a process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const usage = `Usage: emerge-figures [command] [options]

Regenerates, by training real models, the figures behind the five causes of emergent abilities.

Commands:
  (none)    regenerate figures (not available yet: no figure has landed)
  --help    print this help
  --version print the version

This is the foundation release: the figure commands (run, list, check) arrive with the figures.
`;

/** Runs the command line with `args` (without `node` and the script path); resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(usage);
    return 0;
  }
  if (args.includes('--version')) {
    const manifest = createRequire(import.meta.url)('../package.json') as { version: string };
    io.stdout(`${manifest.version}\n`);
    return 0;
  }
  io.stderr('emerge-figures: no figures exist yet in this release; see --help\n');
  return 2;
}
