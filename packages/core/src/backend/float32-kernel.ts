import type { TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { registerView, type WasmInternals, wasmInternals } from './wasm-internals.js';

/** The backends whose tensor memory {@link computeFloat32} can read and write in place. */
export const FLOAT32_KERNEL_BACKENDS: readonly string[] = ['cpu', 'wasm'];

/** The part of the cpu backend used here (its data store keeps one typed array per tensor). */
interface CpuBackend {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

function isCpuBackend(backend: unknown): backend is CpuBackend {
  const candidate = backend as Partial<CpuBackend> | undefined;
  return typeof candidate?.readSync === 'function' && typeof candidate.makeTensorInfo === 'function';
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, side) => product * side, 1);
}

/** A kernel's gradient as `tf.registerGradient` takes it, without the kernel name. */
export type Float32KernelGradient = Omit<tf.GradConfig, 'kernelName'>;

/**
 * Registers one kernel function for every backend of {@link FLOAT32_KERNEL_BACKENDS}, and its gradient
 * if given, once (a second call leaves the first registration, so callers need no flag of their own).
 * Run it with {@link runFloat32Kernel} after checking {@link hasFloat32Kernel}.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { computeFloat32, hasFloat32Kernel, registerFloat32Kernel, runFloat32Kernel } from '@emerge/core';
 *
 * // A kernel that doubles every element in one pass over the tensor's memory; its gradient doubles dy.
 * registerFloat32Kernel(
 *   'ExampleDouble',
 *   ({ inputs, backend }) => {
 *     const x = inputs.x as tf.TensorInfo;
 *     return computeFloat32(backend, [x], [x.shape], ([values], [doubled]) => {
 *       for (let index = 0; index < x.shape[0]!; index++) doubled![index] = 2 * values![index]!;
 *     });
 *   },
 *   { gradFunc: (dy) => ({ x: () => tf.mul(dy as tf.Tensor, 2) }) },
 * );
 * await tf.setBackend('cpu');
 * console.assert(hasFloat32Kernel('ExampleDouble')); // registered on cpu and wasm
 * const [result] = runFloat32Kernel('ExampleDouble', { x: tf.tensor1d([1, 2, 3]) });
 * result!.arraySync(); // => [2, 4, 6]
 * console.assert(result!.arraySync().join() === '2,4,6');
 * ```
 */
export function registerFloat32Kernel(
  kernelName: string,
  kernelFunc: tf.KernelFunc,
  gradient?: Float32KernelGradient,
): void {
  for (const backendName of FLOAT32_KERNEL_BACKENDS) {
    if (tf.getKernel(kernelName, backendName) === undefined) {
      tf.registerKernel({ kernelName, backendName, kernelFunc });
    }
  }
  if (gradient !== undefined && tf.getGradient(kernelName) === undefined) {
    tf.registerGradient({ ...gradient, kernelName });
  }
}

/**
 * Runs a kernel registered with {@link registerFloat32Kernel} on the current backend (recorded for
 * gradients like any tfjs op) and returns its outputs, always as a list, since {@link computeFloat32}
 * returns one.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { runFloat32Kernel } from '@emerge/core';
 *
 * await tf.setBackend('cpu');
 * // Any registered kernel runs this way; tfjs' own Add gives one output.
 * const outputs = runFloat32Kernel(tf.Add, { a: tf.scalar(1), b: tf.scalar(2) });
 * outputs.map((output) => output.arraySync()); // => [3]
 * console.assert(outputs.length === 1 && outputs[0]!.arraySync() === 3);
 * ```
 */
export function runFloat32Kernel(
  kernelName: string,
  inputs: tf.NamedTensorMap,
  attributes: tf.NamedAttrMap = {},
): tf.Tensor[] {
  const outputs = tf.engine().runKernel(kernelName, inputs, attributes);
  return Array.isArray(outputs) ? outputs : [outputs];
}

/**
 * Whether the current backend runs the kernel `kernelName` (else use the composed ops it fuses).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { hasFloat32Kernel } from '@emerge/core';
 *
 * await tf.setBackend('cpu');
 * hasFloat32Kernel('NoSuchKernel'); // => false
 * console.assert(!hasFloat32Kernel('NoSuchKernel') && hasFloat32Kernel(tf.Add));
 * ```
 */
export function hasFloat32Kernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/**
 * Replaces every element of `values` by its logistic sigmoid 1 / (1 + e^−x), in place. Handed to a
 * {@link computeFloat32} body: on wasm it runs the backend's vectorized (XNNPACK) sigmoid on the heap
 * array, ~0.9 ns per element against ~12 ns for `Math.exp` in a JavaScript loop (and 15 ns for the
 * backend's own scalar tanh, so tanh is best taken as 2·σ(2x) − 1). `values` must be an output array
 * of that body.
 */
export type SigmoidInPlace = (values: Float32Array) => void;

function sigmoidInJavaScript(values: Float32Array): void {
  for (let index = 0; index < values.length; index++)
    values[index] = 1 / (1 + Math.exp(-(values[index] as number)));
}

/** The sigmoid of the wasm module run on a heap window, or undefined when this build lacks it. */
function wasmSigmoid(internals: WasmInternals): SigmoidInPlace | undefined {
  const run = (internals.wasm as { _Sigmoid?: (inputId: number, outputId: number) => void })._Sigmoid;
  if (typeof run !== 'function') return undefined;
  return (values) => {
    if (values.length === 0) return;
    const id = registerView(internals, values.byteOffset, values.length);
    try {
      run(id, id);
    } finally {
      internals.wasm.tfjs.disposeData(id);
    }
  };
}

/**
 * The body of a kernel written in plain JavaScript over float32 arrays: makes the outputs, then calls
 * `compute(inputs, outputs, sigmoid, heap)` with the inputs' and outputs' memory as `Float32Array`s
 * (on wasm, views of the heap; on cpu, the backend's own arrays), so a fused kernel costs one engine
 * call instead of one per elementary op. `heap` is the wasm backend's memory (`undefined` on cpu): a
 * view's `byteOffset` is then its address there, for a WebAssembly kernel of one's own (see
 * {@link wasmModuleOnHeap}). Outputs start as zeros on cpu and uninitialized on wasm: `compute` must
 * write every element. Inputs must not be written.
 *
 * Arithmetic done with `Math.fround` after every operation rounds exactly as the backends' own float32
 * kernels do (+, −, ×, ÷ and √ of float32 values rounded once from float64 are correctly rounded), which
 * is what lets a fused kernel reproduce a chain of tfjs ops bit for bit.
 *
 * @throws {Error} on a backend other than {@link FLOAT32_KERNEL_BACKENDS}, or a non-float32 input.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { computeFloat32, registerFloat32Kernel, runFloat32Kernel } from '@emerge/core';
 *
 * // x ↦ σ(x) through the vectorized sigmoid (JavaScript on cpu, XNNPACK on wasm).
 * registerFloat32Kernel('ExampleSigmoid', ({ inputs, backend }) => {
 *   const x = inputs.x as tf.TensorInfo;
 *   return computeFloat32(backend, [x], [x.shape], ([values], [out], sigmoid) => {
 *     out!.set(values!);
 *     sigmoid(out!);
 *   });
 * });
 * await tf.setBackend('cpu');
 * const [result] = runFloat32Kernel('ExampleSigmoid', { x: tf.tensor1d([0]) });
 * result!.arraySync(); // => [0.5]
 * console.assert((result!.arraySync() as number[])[0] === 0.5);
 * ```
 */
export function computeFloat32(
  backend: unknown,
  inputs: readonly TensorInfo[],
  outputShapes: readonly (readonly number[])[],
  compute: (
    inputs: Float32Array[],
    outputs: Float32Array[],
    sigmoid: SigmoidInPlace,
    heap: WebAssembly.Memory | undefined,
  ) => void,
): TensorInfo[] {
  for (const input of inputs) {
    if (input.dtype !== 'float32') throw new Error(`a float32 kernel got a ${input.dtype} input`);
  }
  const internals = wasmInternals(backend);
  if (internals !== undefined) {
    // Allocate every output first: a heap that grows replaces its buffer and detaches earlier views.
    const outputs = outputShapes.map((shape) => internals.makeOutput([...shape], 'float32'));
    compute(
      inputs.map((input) => internals.typedArrayFromHeap(input) as Float32Array),
      outputs.map((output) => internals.typedArrayFromHeap(output) as Float32Array),
      wasmSigmoid(internals) ?? sigmoidInJavaScript,
      internals.wasm.asm?.memory,
    );
    return outputs;
  }
  if (isCpuBackend(backend)) {
    const outputs = outputShapes.map((shape) => new Float32Array(elementCount(shape)));
    // The cpu backend keeps float32 data as the Float32Array it computes in.
    compute(
      inputs.map((input) => backend.readSync(input.dataId) as Float32Array),
      outputs,
      sigmoidInJavaScript,
      undefined,
    );
    return outputs.map((array, index) =>
      backend.makeTensorInfo([...(outputShapes[index] as number[])], 'float32', array),
    );
  }
  throw new Error(
    `float32 kernels run on ${FLOAT32_KERNEL_BACKENDS.join(' and ')}, not on ${tf.getBackend()}`,
  );
}
