import type { FigureDefinition } from '../figure.js';
import { doubleDescent } from './double-descent.js';

/** Every figure, in catalogue order (FIGURES.md). */
export const figures: readonly FigureDefinition[] = [doubleDescent];
