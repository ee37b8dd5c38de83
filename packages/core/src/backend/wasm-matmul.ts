import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel } from './replace-wasm-kernel.js';
import { type BatchedProduct, batchedProductOn } from './wasm-batched-product.js';
import { heapOffset, registerView, type WasmInternals, wasmInternals } from './wasm-internals.js';

/**
 * The wasm kernels that take `transposeA`/`transposeB` attributes. tfjs-backend-wasm 4.22 runs an
 * unbatched product (batch size 1) through XNNPACK only when neither flag is set; with a flag it falls
 * back to a plain loop 10-25x slower (measured: a[1000,784]ᵀ·d[1000,512] 480 ms with the flag, 22 ms
 * with an explicit transpose). tfjs' gradient of a matMul uses those flags, so every backward pass on
 * wasm paid for it. Batched products (batch > 1) take the plain loop with or without flags; there,
 * `transposeB` is its fastest layout (rows of both operands contiguous) and `transposeA` its slowest.
 */
const FLAGGED_KERNELS: readonly string[] = [tf.BatchMatMul, tf._FusedMatMul];

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

/** The batch axes without leading ones, so [1, 3] and [3] compare equal. */
function batchAxes(x: TensorInfo): number[] {
  const axes = x.shape.slice(0, -2);
  while (axes[0] === 1) axes.shift();
  return axes;
}

/**
 * Whether a product of two batched operands is worth running as one XNNPACK product per matrix rather
 * than on the original plain loop. Fitted to CPU times measured over rows, inner and columns in
 * {1, ..., 128} (packages/core/bench/wasm-crossovers.mjs): per matrix the plain loop costs about
 * 0.6 ns per multiply-add, XNNPACK about 0.45 µs plus 2.2 ns per element of b (it repacks b) plus
 * 0.05 ns per multiply-add, so XNNPACK wins when inner·columns·(rows − 4) > 800 — except for single
 * columns (matrix-vector products), where it lost in most measured shapes.
 */
function loopPaysOff(rows: number, inner: number, columns: number): boolean {
  return columns > 1 && inner * columns * (rows - 4) > 800;
}

/**
 * Whether a product of two batched operands goes to the SIMD module (batched-product.wat): small
 * matrices, at most 2^17 multiply-adds each, where it measured 2-7x faster than both kernels it
 * replaces (attention at batch 128 and 14 positions: [512,14,14]·[512,14,12] 0.93 → 0.28 ms) — above
 * that XNNPACK's register tiling wins ([16,256,256]·[16,256,256] 15 vs 33 ms). Only where it gives the
 * same bits as the kernel that would otherwise run: XNNPACK ({@link loopPaysOff}) and the plain loop
 * both add in k order, the plain loop only up to its block of 48 inner elements.
 */
function fitsBatchedProduct(rows: number, inner: number, columns: number): boolean {
  return rows * inner * columns <= 1 << 17 && (inner <= 48 || loopPaysOff(rows, inner, columns));
}

/**
 * a·b for float32 operands [...batch, rows, inner] and [...batch, inner, columns] with `a`'s batch either
 * b's or 1: with `simd`, one call of the SIMD module for the whole batch; otherwise one call of the C
 * kernel per matrix, which sees windows of the operands and of the output registered under fresh ids
 * without copies, so it takes XNNPACK's path (batch 1, no flags); disposing the window of b also frees
 * the XNNPACK operator the C side cached for it.
 */
function productPerMatrix(
  internals: WasmInternals,
  a: TensorInfo,
  b: TensorInfo,
  simd: BatchedProduct | undefined,
): TensorInfo {
  const rows = a.shape[a.shape.length - 2] as number;
  const inner = a.shape[a.shape.length - 1] as number;
  const columns = b.shape[b.shape.length - 1] as number;
  const batch = batchSize(b);
  const out = internals.makeOutput([batch, rows, columns], 'float32');
  const aStride = batchSize(a) === 1 ? 0 : rows * inner;
  const [aStart, bStart, outStart] = [a, b, out].map((x) => heapOffset(internals, x)) as [
    number,
    number,
    number,
  ];
  if (simd !== undefined) {
    simd(aStart, bStart, outStart, batch, rows, inner, columns, aStride, inner * columns);
  } else {
    const { wasm } = internals;
    const shapes = wasm._malloc(24);
    wasm.HEAP32.set([1, rows, inner, 1, inner, columns], shapes >> 2);
    try {
      for (let index = 0; index < batch; index++) {
        const aId = registerView(internals, aStart + 4 * index * aStride, rows * inner);
        const bId = registerView(internals, bStart + 4 * index * inner * columns, inner * columns);
        const outId = registerView(internals, outStart + 4 * index * rows * columns, rows * columns);
        wasm._BatchMatMul(aId, shapes, 3, bId, shapes + 12, 3, 0, 0, outId);
        for (const id of [aId, bId, outId]) wasm.tfjs.disposeData(id);
      }
    } finally {
      wasm._free(shapes);
    }
  }
  out.shape = [
    ...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)),
    rows,
    columns,
  ];
  return out;
}

/**
 * The data of every `a` seen in an unbatched aᵀ·b, so that a repeated one is recognized (a weak set:
 * entries go with the tensors).
 */
const leftOperands = new WeakSet<object>();

/**
 * Whether `a`'s data was already the left operand of an unbatched aᵀ·b, noting it otherwise. That is
 * the weight gradient xᵀ·dy of a layer whose input x is the same tensor every step (a full-batch
 * network's first layer). Computed as (dyᵀ·x)ᵀ, x becomes XNNPACK's packed operand, which the backend
 * keeps per tensor, so x is packed once instead of dy every step (measured on x [1000, 49],
 * dy [1000, 166]: 0.97 → 0.46 ms). The sums are the same products added in the same order, so the
 * result is the same to the bit (tested).
 */
function repeatedLeft(a: TensorInfo): boolean {
  if (leftOperands.has(a.dataId)) return true;
  leftOperands.add(a.dataId);
  return false;
}

/**
 * Wraps a matMul kernel so that the original kernel only sees products it runs on its fast path:
 * - a flagged input is first transposed by the backend's own Transpose kernel and its flag dropped
 *   (both flags for an unbatched product; only `transposeA` for a batched one, see above);
 * - a batched `a` times an unbatched `b` (e.g. [batch, time, C] · [C, out]) becomes one product of
 *   matrices [batch·time, C] · [C, out], since the original runs every batched product on its plain
 *   loop (measured: [32,64,128]·[128,512] 166 ms, flattened 8 ms);
 * - with `plain` (BatchMatMul, which has no bias or activation to apply):
 *   - a batched `b` times an `a` of the same batch (or of batch 1), e.g. attention's
 *     [batch·heads, time, head] · [batch·heads, head, time], runs on the SIMD module where
 *     {@link fitsBatchedProduct} says so, else as one XNNPACK product per matrix where
 *     {@link loopPaysOff} says so (measured: [128,64,32]·[128,32,64] 10.8 -> 2.7 ms);
 *   - an unbatched a·bᵀ with few rows in `a` is computed as (b·aᵀ)ᵀ, which transposes and repacks the
 *     small `a` and output instead of the large `b` (an RNN's backward step dgates[32,512]·W[128,512]ᵀ);
 *   - an unbatched aᵀ·b whose `a` came before is computed as (bᵀ·a)ᵀ (see {@link repeatedLeft}).
 * Everything else (broadcasting, bias, activation, errors for bad shapes) stays the original kernel's.
 */
function fastPathFirst(original: KernelFunc, transpose: KernelFunc, plain: boolean): KernelFunc {
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
    const rankA = a.shape.length;
    const rows = a.shape[transposeA ? rankA - 1 : rankA - 2] as number;
    const inner = a.shape[transposeA ? rankA - 2 : rankA - 1] as number;
    const columns = b.shape[transposeB ? b.shape.length - 2 : b.shape.length - 1] as number;
    const internals = plain ? wasmInternals(backend) : undefined;
    const batched =
      internals !== undefined &&
      a.dtype === 'float32' &&
      b.dtype === 'float32' &&
      batchSize(b) > 1 &&
      (batchSize(a) === 1 || batchAxes(a).join() === batchAxes(b).join());
    const memory = internals?.wasm.asm?.memory;
    const simd =
      batched && memory !== undefined && fitsBatchedProduct(rows, inner, columns)
        ? batchedProductOn(memory)
        : undefined;
    const perMatrix = batched && (simd !== undefined || loopPaysOff(rows, inner, columns));
    const unbatched = plain && batchSize(a) === 1 && batchSize(b) === 1;
    const swap =
      unbatched && Boolean(transposeB) && !transposeA && rows * (inner + columns) < inner * columns;
    const reuse = unbatched && Boolean(transposeA) && !transposeB && a.dtype === 'float32' && repeatedLeft(a);
    const keepTransposeB =
      Boolean(transposeB) && !flatten && !perMatrix && Math.max(batchSize(a), batchSize(b)) > 1;
    if (!transposeA && !flatten && !perMatrix && !swap && (!transposeB || keepTransposeB)) {
      return original({ inputs, backend, attrs });
    }
    const intermediates: TensorInfo[] = [];
    const transposed = (x: TensorInfo): TensorInfo => {
      const result = transpose({ inputs: { x }, backend, attrs: { perm: swapLastAxes(x.shape.length) } });
      intermediates.push(result as TensorInfo);
      return result as TensorInfo;
    };
    try {
      if (swap || reuse) {
        const plainAttrs = { transposeA: false, transposeB: false };
        // a·bᵀ = (b·aᵀ)ᵀ and aᵀ·b = (bᵀ·a)ᵀ.
        const operands = swap ? { a: b, b: transposed(a) } : { a: transposed(b), b: a };
        const swapped = original({ inputs: operands, backend, attrs: plainAttrs });
        intermediates.push(swapped as TensorInfo);
        // The result of this transpose is the output, so it is not among the intermediates.
        const swappedInfo = swapped as TensorInfo;
        return transpose({
          inputs: { x: swappedInfo },
          backend,
          attrs: { perm: swapLastAxes(swappedInfo.shape.length) },
        });
      }
      const left = transposeA ? transposed(a) : a;
      const right = transposeB && !keepTransposeB ? transposed(b) : b;
      if (perMatrix) return productPerMatrix(internals, left, right, simd);
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
 * flagged input explicitly (one copy, O(n²)) and run the fast unflagged product, that multiply a
 * batched `a` by an unbatched `b` as one matrix product, that run products of two batched operands
 * (attention) in a WebAssembly SIMD module of this package when the matrices are small and as one
 * XNNPACK product per matrix when that is faster, and that compute an unbatched
 * a·bᵀ with few rows in `a` as (b·aᵀ)ᵀ. That makes matMul gradients on wasm 10-25x faster and attention's
 * products 4-5x (see the package README for measurements). Results agree with the original kernels to
 * float32 rounding (exactly when every partial sum is exact). Only the `wasm` backend's kernels change;
 * calling it again does nothing. {@link patchWasmKernels} (and so {@link selectBackend}) calls it; call
 * it yourself only if you make wasm current with `tf.setBackend('wasm')` directly.
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
  if (tf.getKernel(tf.Transpose, 'wasm') === undefined) return false;
  // Looked up per call, so a Transpose patched later (patchWasmTranspose) is used too.
  const transpose: KernelFunc = (args) => tf.getKernel(tf.Transpose, 'wasm').kernelFunc(args);
  for (const kernelName of FLAGGED_KERNELS) {
    replaceWasmKernel(kernelName, (original) =>
      fastPathFirst(original, transpose, kernelName === tf.BatchMatMul),
    );
  }
  return true;
}
