import { describe, expect, it } from 'vitest';
import {
  grokkingTrainCount,
  LSTM_SHAPE,
  lstmForwardFlops,
  matMulFlops,
  mlpForwardFlops,
  TRANSFORMER_SHAPE,
  transformerForwardFlops,
  WORKLOAD_NAMES,
  workloadSpec,
} from './workload-specs.js';

// Expected counts worked out by hand from the shapes (see the formulas in the README).
describe('FLOP formulas', () => {
  it('counts a matMul as a multiply and an add per term', () => {
    expect(matMulFlops(2, 3, 4)).toBe(48);
  });

  it('counts the MLP forward pass layer by layer', () => {
    // 2 rows through 3 -> 4 -> 5: 2*2*3*4 + 2*2*4*5 = 48 + 80.
    expect(mlpForwardFlops([3, 4, 5], 2)).toBe(128);
  });

  it('counts the Transformer step: embedding, projections, attention, head', () => {
    // BT = 2048 tokens: embedding and head 2*2048*64*128 each, per layer 2*2048*12*128^2 + 2*2*2048*128*64.
    expect(transformerForwardFlops(TRANSFORMER_SHAPE)).toBe(1_811_939_328);
    expect(workloadSpec('transformer-train-step').flops).toBe(5_435_817_984);
  });

  it('counts the LSTM step: gates over [x, h] and the head', () => {
    // 2*2048*(64+128)*512 + 2*2048*128*64.
    expect(lstmForwardFlops(LSTM_SHAPE)).toBe(436_207_616);
    expect(workloadSpec('lstm-train-step').flops).toBe(1_308_622_848);
  });

  it('counts the MNIST epoch and the Hessian-vector product from the 668,672 weights', () => {
    expect(workloadSpec('mlp-mnist-epoch').flops).toBe(6 * 10_000 * 668_672);
    expect(workloadSpec('mlp-hessian-vector-product').flops).toBe(12 * 1000 * 668_672);
  });

  it('counts the grokking sweep over 4,705 training pairs', () => {
    expect(grokkingTrainCount(97)).toBe(4705);
    expect(workloadSpec('grokking-8-seeds-20-steps').flops).toBe(672_967_065_600);
  });

  it('names the five workloads of WORKLOADS.md and rejects others', () => {
    expect(WORKLOAD_NAMES).toEqual([
      'transformer-train-step',
      'lstm-train-step',
      'mlp-mnist-epoch',
      'mlp-hessian-vector-product',
      'grokking-8-seeds-20-steps',
    ]);
    expect(() => workloadSpec('resnet')).toThrow(/unknown workload resnet/);
  });
});
