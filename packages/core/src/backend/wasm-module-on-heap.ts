/** Instances by memory, then by module source; `null` records that the module cannot run on that memory. */
const instances = new WeakMap<WebAssembly.Memory, Map<string, WebAssembly.Exports | null>>();

/**
 * The exports of a small WebAssembly module (base64, one that imports `env.memory`) instantiated on
 * `memory`, once per memory; `undefined` where it cannot run: an engine without a feature the module
 * uses (e.g. SIMD), or a shared memory (tfjs' threaded build), which an unshared memory import does not
 * accept. This is how hand-written kernels work in place on the wasm backend's heap, whose memory
 * {@link computeFloat32} passes to a kernel. Callers keep a JavaScript path for `undefined`. Modules are
 * compiled synchronously, which engines allow for small modules only (a few kB).
 * @example
 * ```ts
 * import { wasmModuleOnHeap } from '@emerge/core';
 *
 * // (module (import "env" "memory" (memory 0)) (func (export "first") (result f32) (f32.load (i32.const 0))))
 * const source = 'AGFzbQEAAAABBQFgAAF9Ag8BA2VudgZtZW1vcnkCAAADAgEABwkBBWZpcnN0AAAKCQEHAEEAKgIACw==';
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * new Float32Array(memory.buffer)[0] = 2.5;
 * const exports = wasmModuleOnHeap(source, memory);
 * (exports?.first as () => number)(); // => 2.5
 * console.assert((exports?.first as () => number)() === 2.5);
 * ```
 */
export function wasmModuleOnHeap(
  moduleBase64: string,
  memory: WebAssembly.Memory,
): WebAssembly.Exports | undefined {
  let byModule = instances.get(memory);
  if (byModule === undefined) {
    byModule = new Map();
    instances.set(memory, byModule);
  }
  let exports = byModule.get(moduleBase64);
  if (exports === undefined) {
    exports = null;
    try {
      const bytes = Uint8Array.from(atob(moduleBase64), (character) => character.charCodeAt(0));
      exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
    } catch {
      // Left null: the callers keep the kernels they had.
    }
    byModule.set(moduleBase64, exports);
  }
  return exports ?? undefined;
}
