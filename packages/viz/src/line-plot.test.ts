import { describe, expect, it } from 'vitest';
import { type LinePlotOptions, linePlot } from './line-plot.js';
import { OptionError } from './option-error.js';
import { layersOf, renderStrict } from './test-support.js';

const sizes = [4096, 8192, 16384, 32768, 65536];

function options(overrides: Partial<LinePlotOptions> = {}): LinePlotOptions {
  return {
    title: { en: 'Test loss vs training-set size', zh: '测试损失与训练集大小' },
    caption: {
      en: 'Larger models reach lower loss. Bands: min to max over 3 seeds.',
      zh: '模型越大损失越低。阴影：3 个种子的最小值到最大值。',
    },
    x: { title: { en: 'training characters D', zh: '训练字符数 D' }, scale: 'log' },
    y: { title: { en: 'test loss (nats/char)', zh: '测试损失（奈特/字符）' }, scale: 'log' },
    series: [16, 64].map((width, index) => ({
      name: `d_model ${width}`,
      points: sizes.map((x) => {
        const y = 1.2 + (3 - index) * x ** -0.2;
        return { x, y, low: y * 0.97, high: y * 1.03 };
      }),
    })),
    points: true,
    annotations: [
      { kind: 'rule', x: 16384, label: { en: 'threshold', zh: '阈值' } },
      { kind: 'rule', y: 1.5, label: { en: 'chance', zh: '随机水平' } },
      { kind: 'point', x: 32768, y: 1.45, label: { en: 'peak', zh: '峰值' } },
      { kind: 'range', from: 6000, to: 12000, label: { en: 'region', zh: '区间' } },
    ],
    legendTitle: { en: 'model', zh: '模型' },
    ...overrides,
  };
}

describe('linePlot', () => {
  it('draws bands, lines, points and every annotation, with one colour per series in order', () => {
    const spec = linePlot(options());
    const marks = layersOf(spec).map((layer) => (layer.mark as { type: string }).type);
    // range (rect + label), band, line, points, two rules with labels, labelled point.
    expect(marks).toEqual([
      'rect',
      'text',
      'area',
      'line',
      'point',
      'rule',
      'text',
      'rule',
      'text',
      'point',
      'text',
    ]);
    const line = layersOf(spec)[3] as {
      encoding: { color: { scale: { domain: string[] } }; x: { scale: { type: string } } };
    };
    expect(line.encoding.color.scale.domain).toEqual(['d_model 16', 'd_model 64']);
    expect(line.encoding.x.scale.type).toBe('log');
  });

  it('leaves out the band and the points when there is nothing to draw', () => {
    const plain = options({
      series: [
        {
          name: 'a',
          points: [
            { x: 1, y: 2 },
            { x: 2, y: 3 },
          ],
        },
      ],
      points: false,
      annotations: [],
      x: { title: 'x' },
      y: { title: 'y' },
    });
    expect(layersOf(linePlot(plain)).map((layer) => (layer.mark as { type: string }).type)).toEqual(['line']);
  });

  it('uses the strings of the chosen language', () => {
    const spec = linePlot(options({ lang: 'zh' }));
    expect(JSON.stringify(spec)).toContain('测试损失与训练集大小');
    expect(JSON.stringify(spec)).not.toContain('Test loss vs');
    expect(spec.description).toBe('模型越大损失越低。阴影：3 个种子的最小值到最大值。');
  });

  it('rejects values a log axis cannot show, naming the field', () => {
    const bad = options({
      series: [
        {
          name: 'a',
          points: [
            { x: 1, y: 1 },
            { x: 0, y: 1 },
          ],
        },
      ],
    });
    expect(() => linePlot(bad)).toThrow(OptionError);
    expect(() => linePlot(bad)).toThrow(
      'series[0].points[1].x must be a finite number > 0 (log axis), got 0',
    );
  });

  it('rejects duplicate names, half bands, ambiguous rules and empty ranges', () => {
    const point = { x: 1, y: 1 };
    expect(() =>
      linePlot(
        options({
          series: [
            { name: 'a', points: [point] },
            { name: 'a', points: [point] },
          ],
        }),
      ),
    ).toThrow('series[1].name must be unique');
    expect(() => linePlot(options({ series: [{ name: 'a', points: [{ x: 1, y: 1, low: 0.5 }] }] }))).toThrow(
      'series[0].points[0] must be given both low and high',
    );
    expect(() => linePlot(options({ annotations: [{ kind: 'rule', x: 1, y: 1, label: 'r' }] }))).toThrow(
      'annotations[0] must be a rule with exactly one of x and y',
    );
    expect(() => linePlot(options({ annotations: [{ kind: 'range', from: 5, to: 5 }] }))).toThrow(
      'annotations[0].to',
    );
    expect(() => linePlot(options({ series: [] }))).toThrow('series must be an array of 1 to 8 series');
    expect(() => linePlot(options({ width: 10 }))).toThrow('width must be an integer in [40, 4000], got 10');
  });

  it('renders without warnings to the stored SVG, in English and Chinese', async () => {
    await expect(await renderStrict(linePlot(options()))).toMatchFileSnapshot(
      '__snapshots__/line-plot.en.svg',
    );
    await expect(await renderStrict(linePlot(options({ lang: 'zh' })))).toMatchFileSnapshot(
      '__snapshots__/line-plot.zh.svg',
    );
  });
});
