/** A workload with its data and model built, ready to be timed. */
export interface PreparedWorkload {
  /** One repetition (a step, an epoch, a product, a sweep); returns when the work is done. */
  run(): void;
  /** Frees every tensor the workload holds. */
  dispose(): void;
  /** Facts worth recording beside the timings, e.g. the code path used. */
  details: Record<string, string | number>;
}
