import { describe, expect, it } from 'vitest';
import { createModularArithmetic } from './modular-arithmetic.js';

function answerOf(
  task: ReturnType<typeof createModularArithmetic>,
  a: number,
  b: number,
): number | undefined {
  for (let index = 0; index < task.left.length; index++) {
    if (task.left[index] === a && task.right[index] === b) return task.answers[index];
  }
  return undefined;
}

describe('createModularArithmetic', () => {
  it('tabulates every pair with hand-checked answers', () => {
    const add = createModularArithmetic({ modulus: 5, seed: 1 });
    expect(add.answers.length).toBe(25);
    expect(answerOf(add, 3, 4)).toBe(2);
    expect(answerOf(add, 0, 0)).toBe(0);
    const subtract = createModularArithmetic({ modulus: 5, operation: 'subtract', seed: 1 });
    expect(answerOf(subtract, 1, 3)).toBe(3);
    const multiply = createModularArithmetic({ modulus: 7, operation: 'multiply', seed: 1 });
    expect(answerOf(multiply, 3, 5)).toBe(1);
  });

  it('divides by the modular inverse and leaves out b = 0', () => {
    const divide = createModularArithmetic({ modulus: 7, operation: 'divide', seed: 1 });
    expect(divide.answers.length).toBe(42);
    expect(answerOf(divide, 1, 3)).toBe(5); // 3 * 5 = 15 = 1 mod 7
    expect(answerOf(divide, 4, 2)).toBe(2);
    expect(answerOf(divide, 4, 0)).toBeUndefined();
    for (let index = 0; index < divide.answers.length; index++) {
      expect((divide.answers[index]! * divide.right[index]!) % 7).toBe(divide.left[index]);
    }
  });

  it('splits the pairs by the train fraction without overlap, deterministically', () => {
    const task = createModularArithmetic({ modulus: 97, trainFraction: 0.5, seed: 3 });
    expect(task.trainIndices.length).toBe(Math.round(0.5 * 97 * 97));
    expect(task.trainIndices.length + task.testIndices.length).toBe(9409);
    expect(new Set([...task.trainIndices, ...task.testIndices]).size).toBe(9409);
    const again = createModularArithmetic({ modulus: 97, trainFraction: 0.5, seed: 3 });
    expect(again.trainIndices).toEqual(task.trainIndices);
    expect(createModularArithmetic({ modulus: 97, seed: 4 }).trainIndices).not.toEqual(task.trainIndices);
  });

  it('rejects a composite modulus for division and empty splits', () => {
    expect(() => createModularArithmetic({ modulus: 8, operation: 'divide', seed: 1 })).toThrow(
      "modulus must be a prime for 'divide', got 8",
    );
    expect(() => createModularArithmetic({ modulus: 5, trainFraction: 1, seed: 1 })).toThrow(/trainFraction/);
    expect(() => createModularArithmetic({ modulus: 5, trainFraction: 0.01, seed: 1 })).toThrow(
      /trainFraction/,
    );
    expect(() => createModularArithmetic({ modulus: 1, seed: 1 })).toThrow(/modulus must be an integer/);
  });
});
