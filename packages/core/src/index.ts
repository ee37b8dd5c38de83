export { createRandom, type Random } from './random.js';
export type { Model, ForwardOptions } from './model.js';
export { OptionError, requireIntegerInRange, requireNumberInRange } from './errors.js';
