import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@emerge/core/node';
import { type HasVariables, loadWeights, saveWeights } from '../safetensors.js';

/**
 * Writes a model's variables to a `.safetensors` file (atomically: readers never see half a file).
 * @example
 * ```ts
 * import { mkdtemp } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { createMlp } from '@emerge/transformer';
 * import { loadWeightsFile, saveWeightsFile } from '@emerge/transformer/node';
 *
 * const path = join(await mkdtemp(join(tmpdir(), 'emerge-')), 'model.safetensors');
 * const model = createMlp({ inputSize: 4, hiddenSizes: [8], outputSize: 2, seed: 1 });
 * await saveWeightsFile(path, model, { seed: '1' });
 * const copy = createMlp({ inputSize: 4, hiddenSizes: [8], outputSize: 2, seed: 2 });
 * await loadWeightsFile(path, copy); // copy now holds model's weights
 * console.assert(copy.variables.get('layers.0.weight')!.dataSync()[0] === model.variables.get('layers.0.weight')!.dataSync()[0]);
 * ```
 */
export async function saveWeightsFile(
  path: string,
  model: HasVariables,
  metadata: Record<string, string> = {},
): Promise<void> {
  await writeFileAtomic(path, saveWeights(model, metadata));
}

/**
 * Reads a `.safetensors` file into a model's variables (names and shapes must match exactly).
 * @example
 * ```ts
 * import { mkdtemp } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { createMlp } from '@emerge/transformer';
 * import { loadWeightsFile, saveWeightsFile } from '@emerge/transformer/node';
 *
 * const path = join(await mkdtemp(join(tmpdir(), 'emerge-')), 'model.safetensors');
 * const trained = createMlp({ inputSize: 4, hiddenSizes: [8], outputSize: 2, seed: 1 });
 * await saveWeightsFile(path, trained);
 * const model = createMlp({ inputSize: 4, hiddenSizes: [8], outputSize: 2, seed: 7 });
 * await loadWeightsFile(path, model); // the seed-1 weights, whatever model was initialized with
 * const weight = (mlp: typeof model) => mlp.variables.get('layers.1.weight')!.dataSync();
 * console.assert(weight(model).join() === weight(trained).join());
 * ```
 */
export async function loadWeightsFile(path: string, model: HasVariables): Promise<void> {
  loadWeights(model, new Uint8Array(await readFile(path)));
}
