import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@emerge/core/node';
import { type HasVariables, loadWeights, saveWeights } from '../safetensors.js';

/**
 * Writes a model's variables to a `.safetensors` file (atomically: readers never see half a file).
 * @example
 * ```ts
 * await saveWeightsFile('out/model.safetensors', model, { seed: '1' });
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
 * await loadWeightsFile('out/model.safetensors', model);
 * ```
 */
export async function loadWeightsFile(path: string, model: HasVariables): Promise<void> {
  loadWeights(model, new Uint8Array(await readFile(path)));
}
