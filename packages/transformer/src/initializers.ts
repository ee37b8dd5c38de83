import type { Random } from '@emerge/core';

/** `count` independent N(0, std²) draws, in stream order. */
export function drawNormal(random: Random, count: number, std: number): Float32Array {
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) values[index] = std * random.normal();
  return values;
}

/** `count` independent U[low, high) draws, in stream order. */
export function drawUniform(random: Random, count: number, low: number, high: number): Float32Array {
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) values[index] = random.uniformIn(low, high);
  return values;
}
