import { describe, expect, it } from 'vitest';
import { contourPlot } from './contour-plot.js';
import { linePlot } from './line-plot.js';
import { multiPanel } from './multi-panel.js';
import { renderStrict } from './test-support.js';

const axis = [-1, -0.5, 0, 0.5, 1];
const panel = (title: string, sharpness: number) =>
  contourPlot({
    title,
    caption: 'own caption',
    x: { title: 'direction 1', values: axis },
    y: { title: 'direction 2', values: axis },
    values: axis.map((y) => axis.map((x) => 0.1 + sharpness * (x * x + y * y))),
    color: { title: 'loss' },
    width: 200,
    height: 200,
  });

const shared = {
  title: { en: 'Two basins', zh: '两个盆地' },
  caption: { en: 'The small-batch basin is wider.', zh: '小批量的盆地更宽。' },
};

describe('multiPanel', () => {
  it('puts panels side by side under one title, each keeping its title but not its caption or theme', () => {
    const spec = multiPanel({
      ...shared,
      panels: [panel('(a) batch 32', 1), panel('(b) batch 2048', 8)],
      lang: 'zh',
    });
    expect('hconcat' in spec).toBe(true);
    const panels = (spec as unknown as { hconcat: Array<Record<string, unknown>> }).hconcat;
    expect(panels.map((one) => one.title)).toEqual([
      { text: '(a) batch 32', fontSize: 14 },
      { text: '(b) batch 2048', fontSize: 14 },
    ]);
    expect(panels.some((one) => 'config' in one || '$schema' in one)).toBe(false);
    expect(JSON.stringify(spec)).not.toContain('own caption');
    expect((spec.title as { text: string }).text).toBe('两个盆地');
  });

  it('stacks panels for direction column and rejects bad options', () => {
    const line = linePlot({
      ...shared,
      x: { title: 'x' },
      y: { title: 'y' },
      series: [{ name: 'a', points: [{ x: 1, y: 1 }] }],
    });
    expect('vconcat' in multiPanel({ ...shared, panels: [line, line], direction: 'column' })).toBe(true);
    expect(() => multiPanel({ ...shared, panels: [] })).toThrow(
      'panels must be an array of 1 to 6 figure specs, got 0',
    );
    expect(() => multiPanel({ ...shared, panels: [line], direction: 'diagonal' as 'row' })).toThrow(
      'direction',
    );
  });

  it('renders without warnings to the stored SVG', async () => {
    const spec = multiPanel({ ...shared, panels: [panel('(a) batch 32', 1), panel('(b) batch 2048', 8)] });
    await expect(await renderStrict(spec)).toMatchFileSnapshot('__snapshots__/multi-panel.en.svg');
  });
});
