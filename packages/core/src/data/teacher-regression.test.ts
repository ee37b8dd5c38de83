import { describe, expect, it } from 'vitest';
import { createTeacherRegression } from './teacher-regression.js';

describe('createTeacherRegression', () => {
  it('computes targets as inputs times the teacher when noise is 0', () => {
    const data = createTeacherRegression({ dimension: 3, count: 4, seed: 1 });
    for (let row = 0; row < 4; row++) {
      let expected = 0;
      for (let column = 0; column < 3; column++)
        expected += data.inputs[row * 3 + column]! * data.teacher[column]!;
      expect(data.targets[row]).toBeCloseTo(expected, 12);
    }
  });

  it('shares the teacher across seeds with one teacher seed and adds noise of the given scale', () => {
    const train = createTeacherRegression({
      dimension: 20,
      count: 20_000,
      noiseStd: 0.5,
      seed: 1,
      teacherSeed: 9,
    });
    const test = createTeacherRegression({ dimension: 20, count: 10, seed: 2, teacherSeed: 9 });
    expect(test.teacher).toEqual(train.teacher);
    expect(test.inputs).not.toEqual(train.inputs.subarray(0, 200));
    let residualSquares = 0;
    for (let row = 0; row < 20_000; row++) {
      let clean = 0;
      for (let column = 0; column < 20; column++)
        clean += train.inputs[row * 20 + column]! * train.teacher[column]!;
      residualSquares += (train.targets[row]! - clean) ** 2;
    }
    // The noise variance 0.25 is estimated from 20,000 draws (relative standard error ~1%).
    expect(residualSquares / 20_000).toBeCloseTo(0.25, 1);
  });

  it('rejects a negative noise scale', () => {
    expect(() => createTeacherRegression({ dimension: 2, count: 2, noiseStd: -1, seed: 1 })).toThrow(
      /noiseStd must be/,
    );
  });
});
