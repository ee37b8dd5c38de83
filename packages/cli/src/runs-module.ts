/**
 * The URL of the module that exports every figure's run functions by name. Sweep runs name it as their
 * `task`, so worker processes can import it: it is its own build entry (`dist/runs.js`), and from the
 * TypeScript sources (tests) it is `src/runs.ts`.
 */
export const runsModuleUrl = new URL(
  import.meta.url.endsWith('.ts') ? './runs.ts' : './runs.js',
  import.meta.url,
).href;
