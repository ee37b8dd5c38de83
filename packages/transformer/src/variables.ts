import type { Random } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { drawNormal, drawUniform } from './initializers.js';

function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, side) => product * side, 1);
}

/**
 * Named trainable variables of one model. tfjs variable names must be unique per process, so the
 * stable names live only in this map's keys (and in saved weights), never in `tf.Variable.name`.
 */
export class VariableSet {
  readonly map = new Map<string, tf.Variable>();

  /** Adds a trainable variable holding `values` (float32) with the given shape. */
  add(name: string, values: Float32Array, shape: readonly number[]): tf.Variable {
    const variable = tf.tidy(() => tf.variable(tf.tensor(values, [...shape], 'float32'), true));
    this.map.set(name, variable);
    return variable;
  }

  /** Adds a variable of N(0, std²) draws from `random`, in stream order. */
  addNormal(name: string, shape: readonly number[], std: number, random: Random): tf.Variable {
    return this.add(name, drawNormal(random, elementCount(shape), std), shape);
  }

  /** Adds a variable of U[−bound, bound) draws from `random`, in stream order. */
  addUniform(name: string, shape: readonly number[], bound: number, random: Random): tf.Variable {
    return this.add(name, drawUniform(random, elementCount(shape), -bound, bound), shape);
  }

  /** The variable called `name`; throws if a model asks for one it never created. */
  get(name: string): tf.Variable {
    const variable = this.map.get(name);
    if (variable === undefined) throw new Error(`no variable named ${name}`);
    return variable;
  }

  /** Number of trainable scalars. */
  scalarCount(): number {
    let count = 0;
    for (const variable of this.map.values()) count += variable.size;
    return count;
  }

  /** Disposes every variable. */
  dispose(): void {
    for (const variable of this.map.values()) variable.dispose();
    this.map.clear();
  }
}
