import type { DataType, TensorInfo } from '@tensorflow/tfjs';

/**
 * The parts of tfjs-backend-wasm 4.22's backend object and Emscripten module that the kernel patches
 * use. They are not public API, so {@link wasmInternals} checks each one before a patch relies on it
 * and the patches keep the original kernel when one is missing (another tfjs version).
 */
export interface WasmInternals {
  wasm: {
    /** The C entry of BatchMatMul: (a id, a shape pointer, rank, b id, b shape pointer, rank, transposeA, transposeB, out id). */
    _BatchMatMul(
      aId: number,
      aShape: number,
      aRank: number,
      bId: number,
      bShape: number,
      bRank: number,
      transposeA: number,
      transposeB: number,
      outId: number,
    ): void;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    HEAP32: Int32Array;
    /** The module's exports; `memory` is the heap itself, which other modules can import. */
    asm?: { memory?: WebAssembly.Memory };
    tfjs: {
      /** Makes `id` name `size` elements at byte `offset` of the heap, for the C kernels. */
      registerTensor(id: number, size: number, offset: number): void;
      /** Forgets `id` on the C side (and the XNNPACK operators cached for it); frees no memory. */
      disposeData(id: number): void;
    };
  };
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** Adds an owner to a tensor's data, which is then freed when its last owner disposes it. */
  incRef(dataId: object): void;
}

/** The backend as {@link WasmInternals} when it has every part used here, else `undefined`. */
export function wasmInternals(backend: unknown): WasmInternals | undefined {
  const candidate = backend as Partial<WasmInternals> | undefined;
  const wasm = candidate?.wasm as Partial<WasmInternals['wasm']> | undefined;
  const complete =
    typeof wasm?._BatchMatMul === 'function' &&
    typeof wasm._malloc === 'function' &&
    typeof wasm._free === 'function' &&
    typeof wasm.tfjs?.registerTensor === 'function' &&
    typeof wasm.tfjs.disposeData === 'function' &&
    typeof candidate?.dataIdMap?.get === 'function' &&
    typeof candidate.dataIdNextNumber === 'number' &&
    typeof candidate.makeOutput === 'function' &&
    typeof candidate.typedArrayFromHeap === 'function' &&
    typeof candidate.incRef === 'function';
  return complete ? (candidate as WasmInternals) : undefined;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function heapOffset(internals: WasmInternals, info: TensorInfo): number {
  const data = internals.dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error('tensor data not found on the wasm backend');
  return data.memoryOffset;
}

/**
 * Registers a window of `size` float32 elements at byte `offset` of the heap under a fresh C-side id,
 * with no copy; release it with `internals.wasm.tfjs.disposeData(id)` (which frees nothing).
 */
export function registerView(internals: WasmInternals, offset: number, size: number): number {
  const id = internals.dataIdNextNumber++;
  internals.wasm.tfjs.registerTensor(id, size, offset);
  return id;
}
