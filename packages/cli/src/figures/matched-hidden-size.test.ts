import { describe, expect, it } from 'vitest';
import { matchedHiddenSize } from './matched-hidden-size.js';

describe('matchedHiddenSize', () => {
  it('picks the width whose parameter count is nearest the target', () => {
    // LSTM, 17 inputs and outputs: 4H(H + 17 + 2) + 17H + 17 gives 26,127 at H = 70 and 26,784 at H = 71.
    expect(matchedHiddenSize('lstm', 17, 17, 26_560)).toBe(71);
    expect(matchedHiddenSize('lstm', 17, 17, 26_300)).toBe(70);
    // tanh RNN: H(H + 17 + 2) + 17H + 17 = 2,609 at H = 36 (2,397 at H = 34).
    expect(matchedHiddenSize('rnn', 17, 17, 2_609)).toBe(36);
    expect(matchedHiddenSize('gru', 17, 17, 1)).toBe(1);
  });
});
