import { describe, expect, it } from 'vitest';
import { type PowerLawPlotOptions, powerLawPlot } from './power-law-plot.js';
import { layersOf, renderStrict } from './test-support.js';

const sizes = [4096, 8192, 16384, 32768, 65536];

function options(overrides: Partial<PowerLawPlotOptions> = {}): PowerLawPlotOptions {
  return {
    title: { en: 'Loss vs data', zh: '损失与数据量' },
    caption: { en: 'L(D) = E + A D^-alpha fits every size.', zh: '每个规模都符合 L(D) = E + A D^-alpha。' },
    x: { title: { en: 'training characters D', zh: '训练字符数 D' } },
    y: { title: { en: 'test loss (nats/char)', zh: '测试损失（奈特/字符）' } },
    series: [
      { name: 'd16', points: sizes.map((x) => ({ x, y: 1.4 + 4 * x ** -0.3 })) },
      { name: 'd64', points: sizes.slice(1).map((x) => ({ x, y: 1.1 + 5 * x ** -0.3 })) },
    ],
    fits: [
      { series: 'd16', coefficient: 4, exponent: -0.3, offset: 1.4 },
      {
        series: 'd64',
        coefficient: 5,
        exponent: -0.3,
        offset: 1.1,
        label: { en: 'alpha = 0.30', zh: 'α = 0.30' },
      },
    ],
    points: true,
    ...overrides,
  };
}

type FitLayer = { data: { values: Array<{ fit: number; x: number; y: number; style: string }> } };

describe('powerLawPlot', () => {
  it('samples each fit over the x range of its series, on the fitted formula', () => {
    const layers = layersOf(powerLawPlot(options()));
    const rows = (layers.find((layer) => (layer.encoding as Record<string, unknown>).strokeDash) as FitLayer)
      .data.values;
    const second = rows.filter((row) => row.fit === 1);
    expect(second[0]?.x).toBeCloseTo(8192, 6);
    expect(second.at(-1)?.x).toBeCloseTo(65536, 6);
    for (const row of second) expect(row.y).toBeCloseTo(1.1 + 5 * row.x ** -0.3, 12);
    expect(new Set(rows.map((row) => row.style))).toEqual(new Set(['power-law fit']));
  });

  it('draws both axes on log scales and labels only the fits that have a label', () => {
    const spec = powerLawPlot(options({ lang: 'zh' }));
    const json = JSON.stringify(spec);
    expect(json).toContain('"type":"log"');
    expect(json).not.toContain('"type":"linear"');
    expect(json).toContain('幂律拟合');
    const texts = layersOf(spec).filter((layer) => (layer.mark as { type: string }).type === 'text');
    expect(texts).toHaveLength(1);
  });

  it('rejects a fit of an unknown series and a curve that is not positive', () => {
    expect(() => powerLawPlot(options({ fits: [{ series: 'd32', coefficient: 1, exponent: -1 }] }))).toThrow(
      'fits[0].series must be one of d16, d64, got "d32"',
    );
    expect(() =>
      powerLawPlot(options({ fits: [{ series: 'd16', coefficient: 1, exponent: -1, offset: -5 }] })),
    ).toThrow('fits[0] must be a curve > 0');
    expect(() => powerLawPlot(options({ fits: [{ series: 'd16', coefficient: 0, exponent: -1 }] }))).toThrow(
      'fits[0].coefficient must be a finite number > 0',
    );
  });

  it('renders without warnings to the stored SVG', async () => {
    await expect(await renderStrict(powerLawPlot(options()))).toMatchFileSnapshot(
      '__snapshots__/power-law-plot.en.svg',
    );
  });
});
