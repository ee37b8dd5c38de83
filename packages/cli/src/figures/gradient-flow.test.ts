import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import {
  type GradientFlowCurve,
  type GradientFlowData,
  geometricMeans,
  gradientFlow,
  gradientFlowClaims,
  gradientFlowRun,
  gradientRatio,
  positionNorms,
  shortRatio,
} from './gradient-flow.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('positionNorms', () => {
  it('averages the per-sequence Euclidean norm of each position', () => {
    const gradients = tf.tensor3d([
      [
        [3, 4],
        [0, 2],
      ],
      [
        [0, 1],
        [6, 8],
      ],
    ]);
    expect(positionNorms(gradients)).toEqual([3, 6]);
    gradients.dispose();
  });
});

describe('geometricMeans', () => {
  it('averages logs per position and marks underflow or overflow as null', () => {
    const means = geometricMeans([
      [1, 100, 4],
      [100, 0, Number.POSITIVE_INFINITY],
    ]);
    expect(means[0]).toBeCloseTo(10, 10);
    expect(means.slice(1)).toEqual([null, null]);
  });
});

describe('shortRatio', () => {
  it('writes moderate ratios plainly and extreme ones in exponent form', () => {
    expect(shortRatio(1.2345)).toBe('1.2');
    expect(shortRatio(2.4e-9)).toBe('2e-9');
    expect(shortRatio(1.5e11)).toBe('2e11');
    expect(shortRatio(0)).toBe('0 (underflow)');
    expect(shortRatio(Number.POSITIVE_INFINITY)).toBe('∞ (overflow)');
  });
});

function curve(
  model: GradientFlowCurve['model'],
  norms: Array<number | null>,
  flags = {},
): GradientFlowCurve {
  return { model, inputScale: 1, norms, overflowed: false, underflowed: false, parameterCount: 1, ...flags };
}

/** Curves over T = 4 positions with the given first-to-last ratios. */
function syntheticData(contracting: number, exploding: number, transformerFirst: number): GradientFlowData {
  return {
    length: 4,
    inputScale: 1,
    curves: [
      curve({ kind: 'rnn', recurrentScale: 0.9 }, [contracting, 0.1, 0.5, 1]),
      curve({ kind: 'rnn', recurrentScale: 3 }, [exploding, 10, 2, 1]),
      curve({ kind: 'lstm' }, [1e-6, 1e-4, 1e-2, 1]),
      curve({ kind: 'transformer' }, [transformerFirst, 0.01, 0.01, 0.5]),
    ],
    scaleCurves: [],
  };
}

describe('gradientRatio', () => {
  it('divides norms at 1-based positions and reports underflow as 0 and overflow as Infinity', () => {
    expect(gradientRatio(curve({ kind: 'lstm' }, [2, 4, 8]), 1, 3)).toBe(0.25);
    expect(gradientRatio(curve({ kind: 'lstm' }, [null, 4, 8], { underflowed: true }), 1, 3)).toBe(0);
    expect(gradientRatio(curve({ kind: 'lstm' }, [null, 4, 8], { overflowed: true }), 1, 3)).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});

describe('gradientFlowClaims', () => {
  it('holds for vanishing, exploding and flat gradients', () => {
    const claims = gradientFlowClaims(syntheticData(1e-5, 1e5, 0.02));
    expect(claims.map((claim) => [claim.id, claim.holds])).toEqual([
      ['contracting-vanishes', true],
      ['expanding-explodes', true],
      ['transformer-flat', true],
    ]);
  });

  it('fails when the RNN gradients neither vanish nor explode and the Transformer decays', () => {
    const claims = gradientFlowClaims(syntheticData(0.5, 20, 1e-4));
    expect(claims.map((claim) => claim.holds)).toEqual([false, false, false]);
    const tooLarge = gradientFlowClaims(syntheticData(1e-5, 1e5, 0.5));
    expect(tooLarge[2]?.holds).toBe(false);
  });

  it('counts an overflowing RNN as exploding', () => {
    const data = syntheticData(1e-5, 1e5, 0.02);
    data.curves[1] = curve({ kind: 'rnn', recurrentScale: 3 }, [null, null, 2, 1], { overflowed: true });
    expect(gradientFlowClaims(data)[1]?.holds).toBe(true);
  });
});

describe('gradientFlowRun', () => {
  const base = {
    length: 30,
    batchSize: 4,
    initializations: 2,
    hiddenSize: 16,
    inputSize: 8,
    modelSize: 8,
    inputScale: 1,
  };

  it('shows a contracting RNN vanish and an expanding one explode, without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const contracting = gradientFlowRun({ ...base, model: { kind: 'rnn', recurrentScale: 0.5 } }, 1);
    const expanding = gradientFlowRun(
      { ...base, hiddenSize: 64, inputSize: 32, model: { kind: 'rnn', recurrentScale: 3 } },
      1,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(contracting.norms).toHaveLength(30);
    expect(gradientRatio(contracting, 1, 30)).toBeLessThan(1e-6);
    expect(gradientRatio(expanding, 1, 30)).toBeGreaterThan(1e3);
    expect(contracting.tanhSlope).toBeGreaterThan(0);
    expect(contracting.tanhSlope).toBeLessThan(1);
  });

  it('measures the Transformer and the LSTM without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const transformer = gradientFlowRun({ ...base, model: { kind: 'transformer' } }, 2);
    const lstm = gradientFlowRun({ ...base, model: { kind: 'lstm' } }, 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(transformer.tanhSlope).toBeUndefined();
    expect(transformer.norms.every((norm) => norm !== null && norm > 0)).toBe(true);
    expect(lstm.norms).toHaveLength(30);
  });
});

describe('gradientFlow at the smoke preset', () => {
  it('runs its sweep, assembles, checks and plots', async () => {
    const runs = gradientFlow.sweep('smoke', 0);
    const results: FigureRunResult[] = runs.map((run) => ({
      run,
      result: JSON.parse(JSON.stringify(gradientFlowRun(run.config as never, run.seed))),
    }));
    const data = gradientFlow.assemble(results, 'smoke');
    expect(data.curves.map((entry) => entry.model.kind)).toEqual(['rnn', 'rnn', 'lstm', 'transformer']);
    expect(data.scaleCurves).toHaveLength(4);
    expect(gradientFlow.claims(data, 'smoke')).toHaveLength(3);
    expect(JSON.stringify(gradientFlow.plot(data, 'zh'))).toContain('梯度');
    expect(gradientFlow.caption(data, 'en')).toMatch(/T = 12/);
  });
});
