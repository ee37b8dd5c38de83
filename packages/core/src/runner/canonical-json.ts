import { OptionError } from '../errors.js';

/** A value that survives a JSON round trip unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Serializes `value` as JSON with object keys sorted and no whitespace, so equal values always give the
 * same text (and the same hash) whatever order their keys were written in.
 *
 * It is stricter than `JSON.stringify` where that would silently change a value: `NaN`, `Infinity`,
 * `undefined` inside arrays, functions, bigints, class instances (Date, Map, typed arrays) and cycles
 * throw instead of becoming `null` or `{}` — a cached result must read back as the number that was
 * computed. Object properties whose value is `undefined` are left out, as JSON does.
 *
 * @param label names the value in error messages, e.g. `runs[3].config`.
 * @throws {OptionError} naming the path of the first value that is not JSON.
 * @example
 * ```ts
 * import { canonicalJson } from '@emerge/core';
 *
 * canonicalJson({ b: 1, a: [true, null] }, 'config'); // => '{"a":[true,null],"b":1}'
 * console.assert(canonicalJson({ b: 1, a: [true, null] }, 'config') === '{"a":[true,null],"b":1}');
 * ```
 */
export function canonicalJson(value: unknown, label: string): string {
  return serialize(value, label, new Set());
}

function serialize(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new OptionError(path, 'a finite number (JSON has no NaN or Infinity)', value);
    return JSON.stringify(value);
  }
  if (typeof value !== 'object') throw new OptionError(path, 'a JSON value', typeof value);
  if (ancestors.has(value)) throw new OptionError(path, 'free of cycles', 'a reference to its own ancestor');
  ancestors.add(value);
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item, index) => serialize(item, `${path}[${index}]`, ancestors)).join(',')}]`;
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new OptionError(path, 'a plain object or array', prototype?.constructor?.name ?? 'an object');
    }
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${serialize(record[key], `${path}.${key}`, ancestors)}`);
    text = `{${members.join(',')}}`;
  }
  ancestors.delete(value);
  return text;
}
