import { describe, expect, it } from 'vitest';
import { OptionError, requireIntegerInRange, requireNumberInRange } from './errors.js';

describe('option validation', () => {
  it('names the field, the allowed range and the value received', () => {
    expect(() => requireNumberInRange('label noise rate', 1.5, 0, 1)).toThrow(
      'label noise rate must be a number in [0, 1], got 1.5',
    );
    expect(() => requireIntegerInRange('width', 2.5, 1, 10)).toThrow(
      'width must be an integer in [1, 10], got 2.5',
    );
    expect(() => requireIntegerInRange('width', '3', 1, 10)).toThrow('got "3"');
  });

  it('returns valid values and throws OptionError carrying the field', () => {
    expect(requireNumberInRange('rate', 0.25, 0, 1)).toBe(0.25);
    try {
      requireIntegerInRange('heads', 0, 1, 8);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OptionError);
      expect((error as OptionError).field).toBe('heads');
    }
  });
});
