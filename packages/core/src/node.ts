export { writeFileAtomic } from './node/atomic-write.js';
export { type BrownDocument, loadBrownCorpus } from './node/brown-corpus.js';
export { type CacheLookup, DiskCache } from './node/disk-cache.js';
export type { RunJob } from './node/run-job.js';
export { type RunSweepOptions, runSweep, type SweepResult } from './node/run-sweep.js';
export { SweepRunError } from './node/sweep-run-error.js';
export { MAX_POOL_WORKERS, type WorkerLease, WorkerPool } from './node/worker-pool.js';
