import { describe, expect, it } from 'vitest';
import type { FigureSpec } from './figure-spec.js';
import { heatmap } from './heatmap.js';
import { linePlot } from './line-plot.js';
import { renderSvg } from './render-svg.js';

const spec = linePlot({
  title: { en: 'Grokking', zh: '顿悟' },
  caption: {
    en: 'Test accuracy rises long after train accuracy.',
    zh: '测试准确率在训练准确率之后很久才上升。',
  },
  x: { title: { en: 'step', zh: '步数' }, scale: 'log' },
  y: { title: { en: 'accuracy', zh: '准确率' }, domain: [0, 1], format: '.0%' },
  series: [
    {
      name: { en: 'train', zh: '训练' },
      points: [10, 100, 1000].map((x, index) => ({ x, y: [0.1, 1, 1][index] ?? 0 })),
    },
    {
      name: { en: 'test', zh: '测试' },
      points: [10, 100, 1000].map((x, index) => ({ x, y: [0.01, 0.02, 0.97][index] ?? 0 })),
    },
  ],
  lang: 'zh',
});

describe('renderSvg', () => {
  it('renders a standalone SVG that contains the figure text', async () => {
    const svg = await renderSvg(spec, { onWarning: () => {} });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const text of ['顿悟', '步数', '准确率', '训练', '测试', '100%']) expect(svg).toContain(text);
  });

  it('gives byte-identical output for the same spec', async () => {
    const first = await renderSvg(spec);
    const second = await renderSvg(structuredClone(spec));
    expect(second).toBe(first);
  });

  it('numbers gradient and clip-path ids from the start for every figure, also when rendering in parallel', async () => {
    // A gradient legend and clipped marks: Vega counts both kinds of ids up across the process.
    const gradient = heatmap({
      title: 't',
      caption: 'c',
      x: { title: 'x' },
      y: { title: 'y' },
      values: [[0, 1]],
      color: { title: 'w' },
    });
    const clipped = {
      ...spec,
      layer: undefined,
      mark: { type: 'line', clip: true },
      data: { values: [{ x: 1, y: 1 }] },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    } as unknown as FigureSpec;
    const [a, b, c, d] = await Promise.all([
      renderSvg(gradient),
      renderSvg(clipped),
      renderSvg(gradient),
      renderSvg(clipped),
    ]);
    expect(a).toContain('id="gradient_0"');
    expect(b).toContain('id="clip1"');
    expect(c).toBe(a);
    expect(d).toBe(b);
  });

  it('passes Vega-Lite warnings to onWarning', async () => {
    const warnings: string[] = [];
    const broken = {
      ...spec,
      layer: undefined,
      mark: 'line',
      encoding: { x: { field: 'x', type: 'quantitative', scale: { type: 'log', zero: true } } },
    };
    await renderSvg(broken as unknown as typeof spec, { onWarning: (message) => warnings.push(message) });
    expect(warnings.join('\n')).toContain('zero');
  });
});
