import { defineConfig } from 'tsup';
import { packageBuild } from '../tsup.base.js';

// Two entries: the orchestrator and the child process that runs one workload (no declarations: private).
export default defineConfig({ ...packageBuild(['src/bin.ts', 'src/worker.ts']), dts: false });
