import { countRecurrent, type RecurrentCell } from '@emerge/transformer';

/**
 * The hidden width whose recurrent model (token input of `vocabSize`, `outputSize` logits) has the
 * parameter count closest to `parameters`, so architectures are compared at matched size.
 * @example
 * ```ts
 * matchedHiddenSize('lstm', 17, 17, 26_560); // 71 (26,784 parameters)
 * ```
 */
export function matchedHiddenSize(
  cell: RecurrentCell,
  vocabSize: number,
  outputSize: number,
  parameters: number,
): number {
  let best = 1;
  let bestGap = Number.POSITIVE_INFINITY;
  for (let hiddenSize = 1; hiddenSize <= 4096; hiddenSize++) {
    const gap = Math.abs(countRecurrent({ cell, vocabSize, hiddenSize, outputSize }).parameters - parameters);
    if (gap < bestGap) {
      best = hiddenSize;
      bestGap = gap;
    } else break; // the count grows with the width, so the gap only widens from here
  }
  return best;
}
