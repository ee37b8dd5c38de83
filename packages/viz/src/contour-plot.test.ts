import { describe, expect, it } from 'vitest';
import { type ContourPlotOptions, contourPlot } from './contour-plot.js';
import { layersOf, renderStrict } from './test-support.js';

const axis = Array.from({ length: 11 }, (_, index) => -1 + index * 0.2);
const bowl = (sharpness: number) =>
  axis.map((y) => axis.map((x) => 0.05 + sharpness * (x * x + 0.5 * y * y)));

function options(overrides: Partial<ContourPlotOptions> = {}): ContourPlotOptions {
  return {
    title: { en: 'Training loss around the small-batch minimum', zh: '小批量极小值附近的训练损失' },
    caption: {
      en: 'Filter-normalized directions; the white isoline is min + 0.5.',
      zh: '滤波归一化方向；白色等值线为最小值 + 0.5。',
    },
    x: { title: { en: 'direction 1', zh: '方向 1' }, values: axis },
    y: { title: { en: 'direction 2', zh: '方向 2' }, values: axis },
    values: bowl(1),
    color: { title: { en: 'training loss', zh: '训练损失' }, scale: 'log' },
    levels: [0.1, 0.2, 0.5, 1],
    highlight: { level: 0.55, label: { en: 'min + 0.5', zh: '最小值 + 0.5' } },
    marks: [{ x: 0, y: 0, label: { en: 'minimum', zh: '极小值' } }],
    width: 240,
    height: 240,
    ...overrides,
  };
}

type Rows = { data: { values: Array<Record<string, number>> } };

describe('contourPlot', () => {
  it('fills one cell per grid point, with edges halfway between grid coordinates', () => {
    const cells = (layersOf(contourPlot(options()))[0] as Rows).data.values;
    expect(cells).toHaveLength(121);
    const corner = cells[0] as Record<string, number>;
    expect(corner.x).toBeCloseTo(-1.1, 12);
    expect(corner.x2).toBeCloseTo(-0.9, 12);
    expect(corner.value).toBeCloseTo(0.05 + 1.5, 12);
  });

  it('draws isolines, the highlighted level and labelled marks', () => {
    const marks = layersOf(contourPlot(options())).map((layer) => (layer.mark as { type: string }).type);
    expect(marks).toEqual(['rect', 'rule', 'rule', 'text', 'point', 'text']);
    // Highlighted isoline of a bowl: every end point has loss 0.55 up to interpolation error.
    const highlighted = (layersOf(contourPlot(options()))[2] as Rows).data.values;
    for (const row of highlighted) {
      const loss = 0.05 + (row.x1 ?? 0) ** 2 + 0.5 * (row.y1 ?? 0) ** 2;
      expect(Math.abs(loss - 0.55)).toBeLessThan(0.02);
    }
  });

  it('spaces default levels evenly in log inside the range for a log colour scale', () => {
    const spec = contourPlot(options({ levels: undefined, levelCount: 1, highlight: undefined, marks: [] }));
    const rows = (layersOf(spec)[1] as Rows).data.values;
    // One level at the geometric mean of 0.05 and 1.55 (the corner value).
    const level = Math.sqrt(0.05 * 1.55);
    for (const row of rows)
      expect(0.05 + (row.x1 ?? 0) ** 2 + 0.5 * (row.y1 ?? 0) ** 2).toBeCloseTo(level, 1);
  });

  it('rejects non-positive values on a log colour scale', () => {
    expect(() =>
      contourPlot(options({ values: bowl(1).map((row) => row.map((value) => value - 0.05)) })),
    ).toThrow('values must be all > 0 (log colour scale), got 0');
  });

  it('renders without warnings to the stored SVG', async () => {
    await expect(await renderStrict(contourPlot(options()))).toMatchFileSnapshot(
      '__snapshots__/contour-plot.en.svg',
    );
  });
});
