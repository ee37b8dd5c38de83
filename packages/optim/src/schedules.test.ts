import { OptionError } from '@emerge/core';
import { describe, expect, it } from 'vitest';
import { constantSchedule, cosineSchedule, stepSchedule, toSchedule, warmup } from './schedules.js';

describe('schedules', () => {
  it('constantSchedule returns the same rate', () => {
    expect(constantSchedule(0.1)(0)).toBe(0.1);
    expect(constantSchedule(0.1)(1e6)).toBe(0.1);
    expect(toSchedule(0.3)(7)).toBe(0.3);
  });

  it('cosineSchedule falls from initial to final along half a cosine', () => {
    const schedule = cosineSchedule({ initial: 1, final: 0.1, totalSteps: 100 });
    expect(schedule(0)).toBe(1);
    expect(schedule(50)).toBeCloseTo(0.55, 14);
    expect(schedule(25)).toBeCloseTo(0.1 + 0.9 * (1 + Math.SQRT1_2) * 0.5, 14);
    expect(schedule(100)).toBe(0.1);
    expect(schedule(1000)).toBe(0.1);
  });

  it('stepSchedule multiplies by factor every `every` steps', () => {
    const schedule = stepSchedule({ initial: 0.1, every: 30 });
    expect(schedule(29)).toBe(0.1);
    expect(schedule(30)).toBeCloseTo(0.01, 15);
    expect(schedule(65)).toBeCloseTo(0.001, 15);
    expect(stepSchedule({ initial: 1, factor: 0.5, every: 1 })(3)).toBe(0.125);
  });

  it('warmup ramps linearly to the wrapped schedule', () => {
    const schedule = warmup(cosineSchedule({ initial: 2, totalSteps: 10 }), 4);
    expect(schedule(0)).toBeCloseTo(0.5, 14);
    expect(schedule(1)).toBeCloseTo(((2 * (1 + Math.cos(Math.PI / 10))) / 2) * 0.5, 14);
    expect(schedule(4)).toBeCloseTo(1 + Math.cos((Math.PI * 4) / 10), 14);
    expect(warmup(3, 0)(0)).toBe(3);
  });

  it('throws OptionError naming the bad field', () => {
    expect(() => constantSchedule(-1)).toThrow(OptionError);
    expect(() => cosineSchedule({ initial: 1, totalSteps: 0 })).toThrow(/totalSteps/);
    expect(() => stepSchedule({ initial: 1, every: 1.5 })).toThrow(/every/);
    expect(() => warmup(1, -2)).toThrow(/warmupSteps/);
  });
});
