/**
 * `landscape-2d` (§5): 2-D filter-normalized slices of the training loss around the small-batch and the
 * large-batch minimum, side by side as contours (Li et al. 2018 Fig. 1 and 5): the small-batch basin is
 * wider.
 */
import { contourPlot, multiPanel } from '@emerge/viz';
import { type Claim, checkClaim, type FigureDefinition } from '../figure.js';
import { sections } from '../sections.js';
import { collectLandscapes, flatMinimaRuns, flatMinimaSetups, type TrainedMinimum } from './flat-minima.js';

/** The basin is {loss < min + BASIN_DELTA}: about ten times the training loss at either minimum (0.01). */
const BASIN_DELTA = 0.1;

/** Isolines drawn in both panels (those inside the data's range), so the panels read alike. */
const CONTOUR_LEVELS = [0.02, 0.05, 0.2, 0.5, 1, 2, 5, 10];

/** One seed's pair of minima and the surfaces around them. */
export interface Landscape2dPair {
  seed: number;
  small: TrainedMinimum;
  large: TrainedMinimum;
  /** Coordinates of both axes (steps along the two filter-normalized directions). */
  coordinates: number[];
  /** Training loss `[row][column]` around each minimum. */
  surfaces: { small: number[][]; large: number[][] };
}

/** The figure's plain data. */
export interface Landscape2dData {
  /** Training examples of the loss on the grid. */
  lossExamples: number;
  /** The basin level above the grid's minimum. */
  delta: number;
  pairs: Landscape2dPair[];
}

/**
 * Area of {loss < min + delta} on an evenly spaced square grid: the number of grid points below the
 * level times the area of one cell.
 */
export function basinArea(values: number[][], coordinates: number[], delta: number): number {
  const flat = values.flat();
  const level = Math.min(...flat) + delta;
  const step = (coordinates[1] ?? 0) - (coordinates[0] ?? 0);
  return flat.filter((value) => value < level).length * step * step;
}

/** Small-batch basin area over large-batch basin area, per pair. */
export function basinAreaRatios(data: Landscape2dData): number[] {
  return data.pairs.map(
    (pair) =>
      basinArea(pair.surfaces.small, pair.coordinates, data.delta) /
      basinArea(pair.surfaces.large, pair.coordinates, data.delta),
  );
}

/** The claim check of FIGURES.md, over every seed (the smallest ratio). */
export function landscape2dClaims(data: Landscape2dData): Claim[] {
  const ratios = basinAreaRatios(data);
  return [
    checkClaim({
      id: 'small-batch-basin-wider',
      statement: `The area of {loss < min + ${data.delta}} is larger around the small-batch minimum (value: smallest ratio of small- to large-batch area over seeds)`,
      value: ratios.length === 0 ? Number.NaN : Math.min(...ratios),
      comparison: '>',
      threshold: 1,
    }),
  ];
}

function format(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/** The `landscape-2d` figure. */
export const landscape2d: FigureDefinition<Landscape2dData> = {
  id: 'landscape-2d',
  title: {
    en: 'The basins of a flat and a sharp minimum',
    zh: '平坦极小值与尖锐极小值的盆地',
  },
  section: sections.optimization,
  anchor:
    'Li, Xu, Taylor, Studer & Goldstein 2018 (Visualizing the Loss Landscape of Neural Nets), Fig. 1 and 5',
  sweep: (preset, seed) => flatMinimaRuns(preset, seed, 'landscape'),
  assemble(results, preset): Landscape2dData {
    const { base } = flatMinimaSetups[preset];
    return {
      lossExamples: Math.min(base.hessianExamples, base.trainSize),
      delta: BASIN_DELTA,
      pairs: collectLandscapes(results).map(({ seed, landscape, minima }) => ({
        seed,
        small: minima[0] as TrainedMinimum,
        large: minima[minima.length - 1] as TrainedMinimum,
        coordinates: landscape.surfaceCoordinates,
        surfaces: landscape.surfaces,
      })),
    };
  },
  claims: (data) => landscape2dClaims(data),
  caption(data, lang) {
    const pair = data.pairs[0];
    if (pair === undefined) return lang === 'en' ? 'No landscape was computed.' : '没有计算地形。';
    const smallArea = basinArea(pair.surfaces.small, pair.coordinates, data.delta);
    const largeArea = basinArea(pair.surfaces.large, pair.coordinates, data.delta);
    const points = pair.coordinates.length;
    const seedsText =
      data.pairs.length > 1
        ? lang === 'en'
          ? ` Seed ${pair.seed} is drawn; the claim takes the smallest ratio over ${data.pairs.length} seeds.`
          : `绘制种子 ${pair.seed}；判定取 ${data.pairs.length} 个种子中最小的比值。`
        : '';
    return lang === 'en'
      ? `Training loss (${data.lossExamples} training digits) on a ${points} x ${points} grid of two filter-normalized random directions around the minima found with batch ${pair.small.batchSize} (left) and ${pair.large.batchSize} (right), same colour scale. The white contour is min + ${data.delta}: it encloses an area of ${format(smallArea)} around the small-batch minimum and ${format(largeArea)} around the large-batch one, ${(smallArea / largeArea).toFixed(1)}x wider.${seedsText}`
      : `在两个经过滤波器归一化的随机方向构成的 ${points} x ${points} 网格上的训练损失（${data.lossExamples} 个训练数字），中心分别是批量 ${pair.small.batchSize}（左）与 ${pair.large.batchSize}（右）找到的极小值，颜色刻度相同。白色等高线为 min + ${data.delta}：它在小批量极小值周围围出的面积为 ${format(smallArea)}，在大批量极小值周围为 ${format(largeArea)}，宽 ${(smallArea / largeArea).toFixed(1)} 倍。${seedsText}`;
  },
  plot(data, lang) {
    const pair = data.pairs[0] as Landscape2dPair;
    const all = [...pair.surfaces.small.flat(), ...pair.surfaces.large.flat()];
    const domain: [number, number] = [Math.min(...all), Math.max(...all)];
    const levels = CONTOUR_LEVELS.filter((level) => level > domain[0] && level < domain[1]);
    const panel = (surface: number[][], minimum: TrainedMinimum, letter: string) => {
      const level = Math.min(...surface.flat()) + data.delta;
      return contourPlot({
        lang,
        title: { en: `(${letter}) batch ${minimum.batchSize}`, zh: `(${letter}) 批量 ${minimum.batchSize}` },
        caption: '',
        x: { title: { en: 'direction 1', zh: '方向 1' }, values: pair.coordinates },
        y: { title: { en: 'direction 2', zh: '方向 2' }, values: pair.coordinates },
        values: surface,
        color: { title: { en: 'training loss', zh: '训练损失' }, scale: 'log', domain },
        levels,
        highlight: { level, label: { en: `min + ${data.delta}`, zh: `min + ${data.delta}` } },
        marks: [{ x: 0, y: 0, label: { en: 'minimum', zh: '极小值' } }],
        width: 300,
        height: 300,
      });
    };
    return multiPanel({
      lang,
      title: landscape2d.title,
      caption: landscape2d.caption(data, lang),
      panels: [panel(pair.surfaces.small, pair.small, 'a'), panel(pair.surfaces.large, pair.large, 'b')],
    });
  },
};
