import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';

/**
 * The wasm kernels that take `transposeA`/`transposeB` attributes. tfjs-backend-wasm 4.22 runs an
 * unbatched product (batch size 1) through XNNPACK only when neither flag is set; with a flag it falls
 * back to a plain loop 10-25x slower (measured: a[1000,784]ᵀ·d[1000,512] 480 ms with the flag, 22 ms
 * with an explicit transpose). tfjs' gradient of a matMul uses those flags, so every backward pass on
 * wasm paid for it. Batched products (batch > 1) take the plain loop with or without flags; there,
 * `transposeB` is its fastest layout (rows of both operands contiguous) and `transposeA` its slowest.
 */
const FLAGGED_KERNELS: readonly string[] = [tf.BatchMatMul, tf._FusedMatMul];

/** Kernel functions installed by {@link patchWasmMatMul}, so a second call does not wrap them again. */
const patchedKernels = new WeakSet<KernelFunc>();

/** The part of a tfjs backend the wrapper needs: freeing the data of an intermediate result. */
interface DisposingBackend {
  disposeData(dataId: object): boolean;
}

/** The permutation that swaps the last two axes of a tensor of the given rank. */
function swapLastAxes(rank: number): number[] {
  return [...Array.from({ length: rank - 2 }, (_, axis) => axis), rank - 1, rank - 2];
}

/** Whether a and b are at least matrices whose inner sides, as the flags read them, agree. */
function innerSidesMatch(a: TensorInfo, b: TensorInfo, attrs: NamedAttrMap | undefined): boolean {
  const rankA = a.shape.length;
  const rankB = b.shape.length;
  if (rankA < 2 || rankB < 2) return false;
  const innerA = attrs?.transposeA ? a.shape[rankA - 2] : a.shape[rankA - 1];
  const innerB = attrs?.transposeB ? b.shape[rankB - 1] : b.shape[rankB - 2];
  return innerA === innerB;
}

/** Whether a tensor has no elements. */
function isEmpty(x: TensorInfo): boolean {
  return x.shape.includes(0);
}

/** Number of matrices in a batch of shape [...batch, rows, columns]. */
function batchSize(x: TensorInfo): number {
  return x.shape.slice(0, -2).reduce((product, side) => product * side, 1);
}

/**
 * The same data seen as a batch of one matrix [1, leading axes flattened, last axis], no copy; rank 3
 * because the fused kernel reads its inputs as rank 3.
 */
function asOneMatrix(x: TensorInfo): TensorInfo {
  const rows = x.shape.slice(0, -1).reduce((product, side) => product * side, 1);
  return { dataId: x.dataId, dtype: x.dtype, shape: [1, rows, x.shape[x.shape.length - 1] as number] };
}

/**
 * Wraps a matMul kernel so that the original kernel only sees products it runs on its fast path:
 * - a flagged input is first transposed by the backend's own Transpose kernel and its flag dropped
 *   (both flags for an unbatched product; only `transposeA` for a batched one, see above);
 * - a batched `a` times an unbatched `b` (e.g. [batch, time, C] · [C, out]) becomes one product of
 *   matrices [batch·time, C] · [C, out], since the original runs every batched product on its plain
 *   loop (measured: [32,64,128]·[128,512] 166 ms, flattened 8 ms).
 * Everything else (broadcasting, bias, activation, errors for bad shapes) stays the original kernel's.
 */
function fastPathFirst(original: KernelFunc, transpose: KernelFunc): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const { a, b } = inputs;
    if (a === undefined || b === undefined || !innerSidesMatch(a, b, attrs) || isEmpty(a) || isEmpty(b)) {
      // A bad call, for which the original kernel throws its own error, or an empty operand, which
      // XNNPACK rejects (an empty inner side leaves the output uninitialized on its path).
      return original({ inputs, backend, attrs });
    }
    // A PReLU slope may be shaped like the batched output, so such fused products keep their batch.
    const flatten = batchSize(a) > 1 && batchSize(b) === 1 && inputs.preluActivationWeights == null;
    const keepTransposeB = Boolean(transposeB) && !flatten && Math.max(batchSize(a), batchSize(b)) > 1;
    if (!transposeA && !flatten && (!transposeB || keepTransposeB)) {
      return original({ inputs, backend, attrs });
    }
    const intermediates: TensorInfo[] = [];
    const transposed = (x: TensorInfo): TensorInfo => {
      const result = transpose({ inputs: { x }, backend, attrs: { perm: swapLastAxes(x.shape.length) } });
      intermediates.push(result as TensorInfo);
      return result as TensorInfo;
    };
    try {
      const left = transposeA ? transposed(a) : a;
      const right = transposeB && !keepTransposeB ? transposed(b) : b;
      const remaining: NamedAttrMap = { ...attrs, transposeA: false, transposeB: keepTransposeB };
      const result = original({
        inputs: { ...inputs, a: flatten ? asOneMatrix(left) : left, b: flatten ? asOneMatrix(right) : right },
        backend,
        attrs: remaining,
      }) as TensorInfo;
      if (flatten) {
        const batch = tf.broadcast_util.assertAndGetBroadcastShape(
          a.shape.slice(0, -2),
          b.shape.slice(0, -2),
        );
        result.shape = [
          ...batch,
          left.shape[left.shape.length - 2] as number,
          right.shape[right.shape.length - 1] as number,
        ];
      }
      return result;
    } finally {
      for (const intermediate of intermediates) {
        (backend as DisposingBackend).disposeData(intermediate.dataId);
      }
    }
  };
}

/**
 * Replaces the wasm backend's `BatchMatMul` and `_FusedMatMul` kernels by ones that transpose a
 * flagged input explicitly (one copy, O(n²)) and run the fast unflagged product, and that multiply a
 * batched `a` by an unbatched `b` as one matrix product. That makes matMul gradients on wasm 10-25x
 * faster (see the package README for measurements). Results agree with the original kernels to float32
 * rounding (exactly when every partial sum is exact). Only the `wasm` backend's kernels change; calling
 * it again does nothing. {@link selectBackend} calls it whenever it
 * picks wasm; call it yourself only if you make wasm current with `tf.setBackend('wasm')` directly.
 *
 * @returns `true` when the wasm kernels are patched (now or earlier), `false` when
 *   `@tensorflow/tfjs-backend-wasm` has not been imported, so there is nothing to patch.
 * @example
 * ```ts
 * import { patchWasmMatMul } from '@emerge/core';
 * import * as tf from '@tensorflow/tfjs';
 * import '@tensorflow/tfjs-backend-wasm';
 *
 * await tf.setBackend('wasm');
 * console.assert(patchWasmMatMul()); // => true: the wasm kernels are patched
 * const a = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
 * const b = tf.tensor2d([[1, 0], [0, 1], [1, 1]]);
 * // a^T b computed with the flag equals the explicit transpose.
 * const flagged = tf.matMul(a, b, true, false).arraySync();
 * const explicit = tf.matMul(tf.transpose(a), b).arraySync();
 * console.assert(JSON.stringify(flagged) === JSON.stringify(explicit)); // => [[6, 8], [8, 10]]
 * ```
 */
export function patchWasmMatMul(): boolean {
  const transpose = tf.getKernel(tf.Transpose, 'wasm');
  if (transpose === undefined) return false;
  for (const kernelName of FLAGGED_KERNELS) {
    const original: KernelConfig | undefined = tf.getKernel(kernelName, 'wasm');
    if (original === undefined || patchedKernels.has(original.kernelFunc)) continue;
    const kernelFunc = fastPathFirst(original.kernelFunc, transpose.kernelFunc);
    patchedKernels.add(kernelFunc);
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ ...original, kernelFunc });
  }
  return true;
}
