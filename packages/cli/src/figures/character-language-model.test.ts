import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CharacterLanguageModelConfig,
  characterLanguageModelRun,
  loadBrownCharacters,
  splitCharacterCorpus,
} from './character-language-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('splitCharacterCorpus', () => {
  const documents = ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee', 'ffff', 'gggg', 'hhhh', 'iiii', 'jjjj'];

  it('keeps whole documents apart and builds the vocabulary from training text only', () => {
    const corpus = splitCharacterCorpus(documents, { heldOutFraction: 0.2, seed: 3 });
    const decode = (ids: Int32Array) => corpus.tokenizer.decode(ids);
    const train = decode(corpus.train).split('\n\n');
    const validation = decode(corpus.validation).split('\n\n');
    const test = decode(corpus.test).split('\n\n');
    expect(train).toHaveLength(8);
    expect(validation).toHaveLength(1);
    expect(test).toHaveLength(1);
    // Training documents stay whole and distinct; the held-out ones are whole documents of unseen letters.
    expect(new Set(train).size).toBe(8);
    for (const document of train) expect(documents).toContain(document);
    expect([...validation, ...test]).toEqual(['\uFFFD'.repeat(4), '\uFFFD'.repeat(4)]);
    // The held-out letters are unknown to the tokenizer (id 0): 8 letters, '\n' and the unknown token.
    expect(corpus.tokenizer.vocabularySize).toBe(10);
    expect([...corpus.validation, ...corpus.test].every((id) => id === 0)).toBe(true);
  });

  it('gives the same split for the same seed and another for another seed', () => {
    const first = splitCharacterCorpus(documents, { heldOutFraction: 0.2, seed: 3 });
    const again = splitCharacterCorpus(documents, { heldOutFraction: 0.2, seed: 3 });
    expect(again.tokenizer.vocabulary).toEqual(first.tokenizer.vocabulary);
    const others = [4, 5, 6].map(
      (seed) => splitCharacterCorpus(documents, { heldOutFraction: 0.2, seed }).tokenizer.vocabulary,
    );
    expect(others.some((vocabulary) => vocabulary.join('') !== first.tokenizer.vocabulary.join(''))).toBe(
      true,
    );
  });

  it('holds out at least one document each for validation and test', () => {
    const corpus = splitCharacterCorpus(['ab', 'cd', 'ef'], { heldOutFraction: 0.1, seed: 0 });
    expect(corpus.train.length).toBe(2);
    expect(corpus.validation.length).toBe(2);
    expect(corpus.test.length).toBe(2);
    expect(() => splitCharacterCorpus(['ab', 'cd'], { heldOutFraction: 0.5, seed: 0 })).toThrow(
      /documents.length/,
    );
  });
});

describe('loadBrownCharacters', () => {
  it('splits the 500 Brown documents 450 / 25 / 25 into streams of character ids', async () => {
    const corpus = await loadBrownCharacters(0);
    expect(corpus.tokenizer.vocabularySize).toBeGreaterThan(40);
    expect(corpus.train.length).toBeGreaterThan(5_000_000);
    // 25 documents of about 12k characters each.
    expect(corpus.validation.length).toBeGreaterThan(200_000);
    expect(corpus.test.length).toBeGreaterThan(200_000);
    expect(corpus.tokenizer.decode(corpus.train.subarray(0, 200))).toMatch(
      /^[a-z0-9 .,;:'"!?()\-\n&$%*+/[\]{}]+$/,
    );
  });
});

const tinyRun: CharacterLanguageModelConfig = {
  modelSize: 8,
  layerCount: 1,
  headCount: 2,
  contextLength: 16,
  trainCharacters: 512,
  batchSize: 8,
  learningRate: 1e-2,
  warmupSteps: 2,
  weightDecay: 0.01,
  maxSteps: 30,
  evaluateAt: [5, 10, 15, 20, 25],
  evaluationWindows: 20,
  patience: null,
};

describe('characterLanguageModelRun', () => {
  it('learns, logs validation loss against 6N FLOPs and leaks no tensors', async () => {
    await loadBrownCharacters(0);
    const before = tf.memory().numTensors;
    const result = await characterLanguageModelRun(tinyRun, 0);
    expect(tf.memory().numTensors).toBe(before);
    expect(result.evaluationSteps).toEqual([5, 10, 15, 20, 25, 30]);
    expect(result.stepsTaken).toBe(30);
    expect(result.stoppedEarly).toBe(false);
    expect(result.trainCharacters).toBe(512);
    // 6N per token times 30 steps of 8 windows of 16 characters.
    expect(result.trainingFlops.at(-1)).toBe(6 * result.nonEmbeddingParameters * 30 * 8 * 16);
    expect(result.flopsPerToken).toBe(6 * result.nonEmbeddingParameters);
    // From about log(vocabulary) at initialization to clearly lower.
    expect(result.validationLoss[0]).toBeLessThan(Math.log(60) + 0.2);
    expect(Math.min(...result.validationLoss)).toBeLessThan(result.validationLoss[0]! - 0.3);
    expect(result.bestValidationLoss).toBe(Math.min(...result.validationLoss));
    expect(result.validationLoss[result.evaluationSteps.indexOf(result.bestStep)]).toBe(
      result.bestValidationLoss,
    );
    expect(Number.isFinite(result.testLoss)).toBe(true);
  });

  it('stops once validation loss has not improved for `patience` evaluations and keeps the best weights', async () => {
    // A learning rate far too large on 64 characters: validation loss soon stops improving.
    const result = await characterLanguageModelRun(
      {
        ...tinyRun,
        trainCharacters: 64,
        learningRate: 0.1,
        maxSteps: 400,
        evaluateAt: Array.from({ length: 80 }, (_, index) => 5 * (index + 1)),
        patience: 2,
      },
      0,
    );
    expect(result.stoppedEarly).toBe(true);
    expect(result.stepsTaken).toBeLessThan(400);
    const bestIndex = result.evaluationSteps.indexOf(result.bestStep);
    // Stopped exactly `patience` evaluations after the best one, none of which improved on it.
    expect(result.evaluationSteps.length - 1 - bestIndex).toBe(2);
    for (const loss of result.validationLoss.slice(bestIndex + 1))
      expect(loss).toBeGreaterThanOrEqual(result.bestValidationLoss);
  });

  it('is a pure function of its configuration and seed', async () => {
    const config = { ...tinyRun, maxSteps: 6, evaluateAt: [3] };
    const first = await characterLanguageModelRun(config, 0);
    const again = await characterLanguageModelRun(config, 0);
    expect(again).toEqual(first);
  });
});
