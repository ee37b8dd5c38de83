export { type CliContext, runCli } from './cli.js';
export type { CommandContext } from './commands/generate.js';
export type { ArticleSection, Bilingual, FigureRunResult } from './figure.js';
export {
  type Claim,
  checkClaim,
  type FigureDefinition,
  type FigureRun,
  type Preset,
  presets,
} from './figure.js';
export { figures } from './figures/index.js';
