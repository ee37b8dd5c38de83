import { OptionError } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';

/** Element types this codec reads and writes (safetensors names). */
export const SAFETENSORS_DTYPES = ['F32', 'F64', 'I32', 'U8', 'BOOL'] as const;

/** One of {@link SAFETENSORS_DTYPES}. */
export type SafetensorsDtype = (typeof SAFETENSORS_DTYPES)[number];

/** A tensor as stored in a safetensors file: dtype, shape and its values in row-major order. */
export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array | Float64Array | Int32Array | Uint8Array;
}

/** The tensors and the string metadata of a safetensors file. */
export interface SafetensorsContent {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F64: 8, I32: 4, U8: 1, BOOL: 1 };

/**
 * Encodes tensors in the safetensors format: an 8-byte little-endian header length, a JSON header
 * mapping each name to `{ dtype, shape, data_offsets }` (plus optional `__metadata__` of strings),
 * padded with spaces to a multiple of 8 bytes, then the raw little-endian data of every tensor in
 * order. PyTorch (`safetensors.torch.load_file`) and other tools read the result.
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from '@emerge/transformer';
 *
 * const bytes = encodeSafetensors(new Map([['w', { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) }]]));
 * bytes.length % 8; // => 0: the header is padded to a multiple of 8 bytes
 * console.assert(bytes.length % 8 === 0);
 * console.assert(decodeSafetensors(bytes).tensors.get('w')!.shape.join() === '2');
 * ```
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, tensor] of tensors) {
    if (name === '__metadata__') throw new OptionError('tensors', 'names other than "__metadata__"', name);
    const elements = tensor.shape.reduce((product, size) => product * size, 1);
    if (elements !== tensor.data.length) {
      throw new OptionError(
        `tensors.${name}.data`,
        `${elements} values for shape [${tensor.shape.join(', ')}]`,
        tensor.data.length,
      );
    }
    const byteLength = elements * BYTES[tensor.dtype];
    header[name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + byteLength] };
    offset += byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength); // pad the JSON with spaces
  let position = 8 + headerLength;
  for (const tensor of tensors.values()) {
    writeValues(view, position, tensor);
    position += tensor.data.length * BYTES[tensor.dtype];
  }
  return bytes;
}

function writeValues(view: DataView, start: number, tensor: SafetensorsTensor): void {
  const { data, dtype } = tensor;
  for (let index = 0; index < data.length; index++) {
    const value = data[index] as number;
    if (dtype === 'F32') view.setFloat32(start + 4 * index, value, true);
    else if (dtype === 'F64') view.setFloat64(start + 8 * index, value, true);
    else if (dtype === 'I32') view.setInt32(start + 4 * index, value, true);
    else view.setUint8(start + index, value);
  }
}

/**
 * Decodes a safetensors file, validating the header length, each dtype, and that every tensor's byte
 * range matches its shape and lies inside the data.
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from '@emerge/transformer';
 *
 * const bytes = encodeSafetensors(new Map([['w', { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) }]]), {
 *   note: 'example',
 * });
 * const { tensors, metadata } = decodeSafetensors(bytes);
 * Array.from(tensors.get('w')!.data); // => [1, 2]
 * metadata.note; // => 'example'
 * console.assert(Array.from(tensors.get('w')!.data).join() === '1,2' && metadata.note === 'example');
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContent {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (expected: string, received: unknown): never => {
    throw new OptionError('bytes', expected, received);
  };
  if (bytes.length < 8) fail('a safetensors file of at least 8 bytes', `${bytes.length} bytes`);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8)
    fail(`a header length within the file (${bytes.length - 8})`, headerLength);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<
    string,
    unknown
  >;
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, SafetensorsTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = value as Record<string, string>;
      continue;
    }
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = value as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (!(SAFETENSORS_DTYPES as readonly string[]).includes(dtype))
      fail(`tensor dtypes among ${SAFETENSORS_DTYPES.join(', ')}`, dtype);
    const type = dtype as SafetensorsDtype;
    const elements = shape.reduce((product, size) => product * size, 1);
    const [begin, end] = offsets;
    if (end - begin !== elements * BYTES[type] || begin < 0 || dataStart + end > bytes.length) {
      fail(`data_offsets of ${name} matching shape [${shape.join(', ')}] inside the file`, offsets);
    }
    tensors.set(name, { dtype: type, shape, data: readValues(view, dataStart + begin, elements, type) });
  }
  return { tensors, metadata };
}

function readValues(
  view: DataView,
  start: number,
  count: number,
  dtype: SafetensorsDtype,
): SafetensorsTensor['data'] {
  const read = <T extends Float32Array | Float64Array | Int32Array | Uint8Array>(
    values: T,
    get: (offset: number) => number,
  ): T => {
    for (let index = 0; index < count; index++) values[index] = get(start + index * BYTES[dtype]);
    return values;
  };
  if (dtype === 'F32') return read(new Float32Array(count), (offset) => view.getFloat32(offset, true));
  if (dtype === 'F64') return read(new Float64Array(count), (offset) => view.getFloat64(offset, true));
  if (dtype === 'I32') return read(new Int32Array(count), (offset) => view.getInt32(offset, true));
  return read(new Uint8Array(count), (offset) => view.getUint8(offset));
}

/** Anything with named variables, such as every model of this package. */
export interface HasVariables {
  readonly variables: ReadonlyMap<string, tf.Variable>;
}

/**
 * A model's variables as safetensors bytes (F32, under the variable names; weights are [in, out], so
 * a PyTorch `nn.Linear` needs the transpose).
 * @example
 * ```ts
 * import { createMlp, decodeSafetensors, saveWeights } from '@emerge/transformer';
 *
 * const model = createMlp({ inputSize: 4, hiddenSizes: [8], outputSize: 2, seed: 1 });
 * const bytes = saveWeights(model, { model: model.name });
 * [...decodeSafetensors(bytes).tensors.keys()]; // => ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']
 * console.assert(decodeSafetensors(bytes).tensors.get('layers.0.weight')!.shape.join() === '4,8');
 * ```
 */
export function saveWeights(model: HasVariables, metadata: Record<string, string> = {}): Uint8Array {
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [name, variable] of model.variables) {
    tensors.set(name, {
      dtype: 'F32',
      shape: [...variable.shape],
      data: variable.dataSync() as Float32Array,
    });
  }
  return encodeSafetensors(tensors, metadata);
}

/**
 * Loads safetensors bytes into a model's variables: every variable must be present with the same
 * shape (F32 or F64, converted to float32), and no extra tensor may be left over.
 * @example
 * ```ts
 * import { createMlp, loadWeights, saveWeights } from '@emerge/transformer';
 *
 * const trained = createMlp({ inputSize: 4, hiddenSizes: [8], outputSize: 2, seed: 1 });
 * const model = createMlp({ inputSize: 4, hiddenSizes: [8], outputSize: 2, seed: 2 });
 * loadWeights(model, saveWeights(trained));
 * console.assert(model.variables.get('layers.0.weight')!.dataSync()[0] === trained.variables.get('layers.0.weight')!.dataSync()[0]);
 * ```
 */
export function loadWeights(model: HasVariables, bytes: Uint8Array): void {
  const { tensors } = decodeSafetensors(bytes);
  for (const [name, variable] of model.variables) {
    const tensor = tensors.get(name);
    const sameShape =
      tensor?.shape.length === variable.shape.length &&
      tensor.shape.every((size, axis) => size === variable.shape[axis]);
    if (!tensor || !sameShape || (tensor.dtype !== 'F32' && tensor.dtype !== 'F64')) {
      throw new OptionError(
        `weights.${name}`,
        `an F32 or F64 tensor of shape [${variable.shape.join(', ')}]`,
        tensor ? `${tensor.dtype} [${tensor.shape.join(', ')}]` : 'missing',
      );
    }
  }
  const extra = [...tensors.keys()].filter((name) => !model.variables.has(name));
  if (extra.length > 0) throw new OptionError('weights', 'only tensors the model has', extra);
  for (const [name, variable] of model.variables) {
    const tensor = tensors.get(name) as SafetensorsTensor;
    tf.tidy(() => variable.assign(tf.tensor(Float32Array.from(tensor.data), tensor.shape, 'float32')));
  }
}
