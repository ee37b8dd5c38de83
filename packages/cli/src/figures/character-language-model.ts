/**
 * The character-level language model that `data-scaling` (§1) and `compute-frontier` (§2) both train:
 * the Brown corpus split by document into training, validation and test text, a decoder-only
 * Transformer trained with AdamW on random windows of a training prefix, validation loss logged
 * against steps and training FLOPs (Kaplan et al.'s 6N per token), early stopping on validation with a
 * step cap, and the test loss of the best weights. One run function serves both figures, so a run
 * that both sweeps ask for is computed once.
 */
import {
  type CharacterTokenizer,
  createCharacterTokenizer,
  createRandom,
  requireIntegerInRange,
  sampleTokenWindows,
  splitDocuments,
  type TokenWindows,
  tokenPrefixes,
} from '@emerge/core';
import { loadBrownCorpus } from '@emerge/core/node';
import { constantSchedule, createAdamW, train, warmup } from '@emerge/optim';
import { countTransformer, createTransformer, type Transformer } from '@emerge/transformer';
import * as tf from '@tensorflow/tfjs';

/** Documents are joined by a blank line, so a window that crosses a boundary sees one. */
const DOCUMENT_SEPARATOR = '\n\n';

/** A corpus as token streams: training text in a seeded document order, and two held-out parts. */
export interface CharacterCorpus {
  /** Built from the training documents (and the separator) only; characters seen only in held-out text map to the unknown id. */
  tokenizer: CharacterTokenizer;
  /** The training documents, concatenated: a prefix of it is a training set of that many characters. */
  train: Int32Array;
  /** Held-out documents for early stopping. */
  validation: Int32Array;
  /** Other held-out documents, scored once with the weights early stopping kept. */
  test: Int32Array;
}

/** Options of {@link splitCharacterCorpus}. */
export interface CorpusSplitOptions {
  /** Share of documents held out, half for validation and half for test, in (0, 1). Required. */
  heldOutFraction: number;
  /** Seed of which documents are held out and of the training documents' order. Required. */
  seed: number;
}

/**
 * Splits documents (never cutting one) into training, validation and test streams of character ids.
 * @throws OptionError when the fraction is outside (0, 1) or fewer than 3 documents are given.
 * @example
 * ```ts
 * const corpus = splitCharacterCorpus(['ab', 'cd', 'ef', 'gh'], { heldOutFraction: 0.5, seed: 0 });
 * corpus.train.length; // => 6: two 2-character documents joined by '\n\n'
 * corpus.validation.length + corpus.test.length; // => 4
 * ```
 */
export function splitCharacterCorpus(
  documents: readonly string[],
  options: CorpusSplitOptions,
): CharacterCorpus {
  requireIntegerInRange('documents.length', documents.length, 3, Number.MAX_SAFE_INTEGER);
  const random = createRandom(options.seed);
  const { train, validation: heldOut } = splitDocuments(documents, {
    validationFraction: options.heldOutFraction,
    seed: random.fork('held-out').seed,
  });
  // Two held-out documents at least, so validation and test each get one.
  if (heldOut.length < 2) heldOut.push(...train.splice(0, 2 - heldOut.length));
  const { train: validation, validation: test } = splitDocuments(heldOut, {
    validationFraction: 0.5,
    seed: random.fork('test').seed,
  });
  const tokenizer = createCharacterTokenizer([...train, DOCUMENT_SEPARATOR]);
  const encode = (part: string[]) => tokenizer.encode(part.join(DOCUMENT_SEPARATOR));
  return { tokenizer, train: encode(train), validation: encode(validation), test: encode(test) };
}

/** Share of the Brown corpus's 500 documents held out: 25 for validation and 25 for test. */
const BROWN_HELD_OUT_FRACTION = 0.1;

const brownCorpora = new Map<number, Promise<CharacterCorpus>>();

/**
 * The Brown corpus (lowercased, tags stripped; about 6.1 million characters) split by
 * {@link splitCharacterCorpus} with 10% of the documents held out. Memoized per seed, so the runs of a
 * worker process read and encode it once.
 * @example
 * ```ts
 * const corpus = await loadBrownCharacters(0);
 * corpus.tokenizer.vocabularySize; // => 60
 * ```
 */
export function loadBrownCharacters(seed: number): Promise<CharacterCorpus> {
  let corpus = brownCorpora.get(seed);
  if (corpus === undefined) {
    corpus = loadBrownCorpus().then((documents) =>
      splitCharacterCorpus(
        documents.map((document) => document.text),
        { heldOutFraction: BROWN_HELD_OUT_FRACTION, seed },
      ),
    );
    brownCorpora.set(seed, corpus);
  }
  return corpus;
}

/** Configuration of {@link characterLanguageModelRun}: the model, the data, and the training budget. */
export interface CharacterLanguageModelConfig extends Record<string, unknown> {
  /** Width d_model. */
  modelSize: number;
  layerCount: number;
  /** Attention heads; divides `modelSize`. */
  headCount: number;
  /** Characters per training and evaluation window. */
  contextLength: number;
  /** Length of the training prefix in characters; `null` trains on the whole training split. */
  trainCharacters: number | null;
  /** Windows per step. */
  batchSize: number;
  /** AdamW's learning rate after a linear warm-up, then constant (so early stopping, not a schedule, ends training). */
  learningRate: number;
  warmupSteps: number;
  /** AdamW's decoupled weight decay. */
  weightDecay: number;
  /** The step cap. */
  maxSteps: number;
  /** Completed-step counts at which validation loss is measured (the last step always is). */
  evaluateAt: number[];
  /** Windows of the validation and of the test text scored at each evaluation (fixed, drawn once). */
  evaluationWindows: number;
  /** Stop after this many evaluations in a row without a new best validation loss; `null` never stops early. */
  patience: number | null;
}

/** What one run measured: the validation curve against steps and FLOPs, and the test loss at its best. */
export interface CharacterLanguageModelResult {
  modelSize: number;
  /** Every trainable scalar. */
  parameters: number;
  /** Kaplan et al.'s N: parameters without the embeddings and the head. */
  nonEmbeddingParameters: number;
  /** 6N training FLOPs per token. */
  flopsPerToken: number;
  /** Characters in the training set. */
  trainCharacters: number;
  evaluationSteps: number[];
  /** Training FLOPs spent by each evaluation step: 6N x steps x batch x context. */
  trainingFlops: number[];
  /** Mean next-character cross-entropy on the validation windows, nats. */
  validationLoss: number[];
  /** The evaluation step with the lowest validation loss, and that loss. */
  bestStep: number;
  bestValidationLoss: number;
  /** Mean cross-entropy on the test windows with the weights of `bestStep`, nats. */
  testLoss: number;
  stepsTaken: number;
  /** Whether early stopping ended the run; `false` means it ran into the step cap, so it may not have converged. */
  stoppedEarly: boolean;
}

/** Windows scored at once, so evaluation tensors stay small. */
const EVALUATION_CHUNK = 128;

/** Mean token cross-entropy of a model over fixed windows, scored in chunks of equal weight per token. */
function meanLoss(model: Transformer, windows: TokenWindows): number {
  let total = 0;
  for (let start = 0; start < windows.count; start += EVALUATION_CHUNK) {
    const count = Math.min(EVALUATION_CHUNK, windows.count - start);
    const range = [start * windows.contextLength, (start + count) * windows.contextLength];
    const chunkLoss = tf.tidy(() => {
      const shape: [number, number] = [count, windows.contextLength];
      const inputs = tf.tensor2d(windows.inputs.subarray(range[0], range[1]), shape, 'int32');
      const targets = tf.tensor2d(windows.targets.subarray(range[0], range[1]), shape, 'int32');
      return model.loss(inputs, targets).dataSync()[0] ?? Number.NaN;
    });
    total += chunkLoss * count;
  }
  return total / windows.count;
}

/** Loss values are kept to 5 decimals: enough for any claim, and stable JSON. */
function round(value: number): number {
  return Math.round(value * 100_000) / 100_000;
}

/**
 * Trains one character-level Transformer on the first `trainCharacters` characters of the Brown
 * training split (random windows, AdamW with warm-up then a constant rate) until validation loss has
 * not improved for `patience` evaluations or the step cap is reached, and scores the best weights on
 * the test text. `seed` fixes the corpus split, the evaluation windows and the batches (the same for
 * every model of a sweep) and, through its own fork, the initialization.
 * @example
 * ```ts
 * const result = await characterLanguageModelRun({ modelSize: 32, layerCount: 2, headCount: 4,
 *   contextLength: 32, trainCharacters: 16384, batchSize: 32, learningRate: 3e-3, warmupSteps: 20,
 *   weightDecay: 0.01, maxSteps: 400, evaluateAt: [50, 100, 150, 200, 250, 300, 350], evaluationWindows: 256, patience: 2 }, 0);
 * result.testLoss; // nats per character at the best validation step
 * ```
 */
export async function characterLanguageModelRun(
  config: CharacterLanguageModelConfig,
  seed: number,
): Promise<CharacterLanguageModelResult> {
  const corpus = await loadBrownCharacters(seed);
  const { modelSize, layerCount, headCount, contextLength, batchSize, maxSteps, patience } = config;
  const [trainTokens] = tokenPrefixes(corpus.train, [config.trainCharacters ?? corpus.train.length]);
  if (trainTokens === undefined) throw new Error('character-language-model: no training prefix');
  const random = createRandom(seed);
  const windows = (tokens: Int32Array, name: string) =>
    sampleTokenWindows(tokens, {
      contextLength,
      count: config.evaluationWindows,
      seed: random.fork(name).seed,
    });
  const validation = windows(corpus.validation, 'validation');
  const test = windows(corpus.test, 'test');
  const architecture = {
    vocabSize: corpus.tokenizer.vocabularySize,
    contextLength,
    modelSize,
    layerCount,
    headCount,
  };
  const counts = countTransformer(architecture);
  const model = createTransformer({ ...architecture, seed: random.fork(`init-${modelSize}`).seed });
  const optimizer = createAdamW({
    variables: model.variables,
    learningRate: warmup(constantSchedule(config.learningRate), config.warmupSteps),
    weightDecay: config.weightDecay,
  });
  const batchSeeds = random.fork('batches');
  const evaluated = new Set(config.evaluateAt);
  let best: { step: number; loss: number; weights: Map<string, tf.Tensor> } | undefined;
  let evaluationsSinceBest = 0;
  const keepBest = (step: number, loss: number) => {
    if (best !== undefined) tf.dispose([...best.weights.values()]);
    const weights = new Map<string, tf.Tensor>();
    for (const [name, variable] of model.variables) weights.set(name, tf.clone(variable));
    best = { step, loss, weights };
  };
  try {
    const history = train({
      optimizer,
      loss: ({ inputs, targets }: { inputs: tf.Tensor2D; targets: tf.Tensor2D }) =>
        model.loss(inputs, targets, { training: true }),
      batch: () => {
        const batch = sampleTokenWindows(trainTokens, {
          contextLength,
          count: batchSize,
          seed: batchSeeds.integer(2 ** 31),
        });
        return {
          inputs: tf.tensor2d(batch.inputs, [batchSize, contextLength], 'int32'),
          targets: tf.tensor2d(batch.targets, [batchSize, contextLength], 'int32'),
        };
      },
      disposeBatch: true,
      steps: maxSteps,
      recordLossEvery: maxSteps,
      evaluate: { validation: () => ({ loss: meanLoss(model, validation) }) },
      evaluateEvery: (completed) => evaluated.has(completed),
      onEvaluation: (completed, result) => {
        const loss = result.validation?.loss ?? Number.NaN;
        if (best === undefined || loss < best.loss) {
          keepBest(completed, loss);
          evaluationsSinceBest = 0;
          return undefined;
        }
        evaluationsSinceBest++;
        return patience !== null && evaluationsSinceBest >= patience ? 'stop' : undefined;
      },
    });
    const kept = best;
    if (kept === undefined) throw new Error('character-language-model: no evaluation ran');
    for (const [name, variable] of model.variables) {
      const weights = kept.weights.get(name);
      if (weights !== undefined) variable.assign(weights);
    }
    const tokensPerStep = batchSize * contextLength;
    return {
      modelSize,
      parameters: counts.parameters,
      nonEmbeddingParameters: counts.nonEmbeddingParameters,
      flopsPerToken: counts.trainingFlopsPerToken6N,
      trainCharacters: trainTokens.length,
      evaluationSteps: history.evaluationSteps,
      trainingFlops: history.evaluationSteps.map(
        (step) => counts.trainingFlopsPerToken6N * step * tokensPerStep,
      ),
      validationLoss: (history.metrics.validation?.loss ?? []).map(round),
      bestStep: kept.step,
      bestValidationLoss: round(kept.loss),
      testLoss: round(meanLoss(model, test)),
      stepsTaken: history.stepsTaken,
      stoppedEarly: history.stopReason === 'callback',
    };
  } finally {
    if (best !== undefined) tf.dispose([...best.weights.values()]);
    optimizer.dispose();
    model.dispose();
  }
}
