import { describe, expect, it } from 'vitest';
import { OptionError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth so key order does not matter', () => {
    const first = canonicalJson({ b: { y: 2, x: [1, { d: 4, c: 3 }] }, a: 'text' }, 'config');
    const second = canonicalJson({ a: 'text', b: { x: [1, { c: 3, d: 4 }], y: 2 } }, 'config');
    expect(first).toBe('{"a":"text","b":{"x":[1,{"c":3,"d":4}],"y":2}}');
    expect(second).toBe(first);
  });

  it('reads back equal to the input, dropping undefined properties as JSON does', () => {
    const value = { rate: 0.1, widths: [8, 16], name: 'mlp', flag: false, none: null, skipped: undefined };
    const { skipped: _skipped, ...expected } = value;
    expect(JSON.parse(canonicalJson(value, 'config'))).toEqual(expected);
  });

  it('rejects values JSON would silently change, naming the path', () => {
    expect(() => canonicalJson({ loss: [1, Number.NaN] }, 'result')).toThrow(
      'result.loss[1] must be a finite number (JSON has no NaN or Infinity), got NaN',
    );
    expect(() => canonicalJson([undefined], 'result')).toThrow(
      'result[0] must be a JSON value, got "undefined"',
    );
    expect(() => canonicalJson({ when: new Date(0) }, 'config')).toThrow(
      'config.when must be a plain object or array, got "Date"',
    );
    expect(() => canonicalJson(new Float32Array(2), 'result')).toThrow(OptionError);
    expect(() => canonicalJson(1n, 'seed')).toThrow('got "bigint"');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic, 'config')).toThrow('config.self must be free of cycles');
  });

  it('accepts a shared (non-cyclic) object twice', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared }, 'config')).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});
