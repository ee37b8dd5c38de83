import { describe, expect, it } from 'vitest';
import { type HeatmapOptions, heatmap } from './heatmap.js';
import { layersOf, renderStrict } from './test-support.js';

const size = 8;
// Causal attention: each query spreads its weight evenly over the keys it can see, except the last
// query, which puts 0.9 on key 2.
const weights = Array.from({ length: size }, (_, query) =>
  Array.from({ length: size }, (_, key) => {
    if (key > query) return 0;
    if (query === size - 1) return key === 2 ? 0.9 : 0.1 / (size - 1);
    return 1 / (query + 1);
  }),
);

function options(overrides: Partial<HeatmapOptions> = {}): HeatmapOptions {
  return {
    title: { en: 'Attention of the best head', zh: '最佳注意力头的权重' },
    caption: { en: 'The query attends to the marked key.', zh: '查询位置注意到标记的键。' },
    x: { title: { en: 'key position', zh: '键位置' } },
    y: { title: { en: 'query position', zh: '查询位置' } },
    values: weights,
    color: { title: { en: 'attention weight', zh: '注意力权重' }, domain: [0, 1] },
    marks: [{ row: size - 1, column: 2, label: { en: 'key', zh: '键' } }],
    ...overrides,
  };
}

describe('heatmap', () => {
  it('draws one cell per matrix entry and a frame on the marked cell', () => {
    const [cells, frame, label] = layersOf(heatmap(options())) as Array<{ data: { values: unknown[] } }>;
    expect(cells?.data.values).toHaveLength(size * size);
    expect(cells?.data.values).toContainEqual({ row: 7, column: 2, value: 0.9 });
    expect(frame?.data.values).toEqual([{ row: 7, column: 2, label: 'key' }]);
    expect(label?.data.values).toEqual(frame?.data.values);
  });

  it('labels the axes with given tick labels, indexed so repeated tokens stay apart', () => {
    const labels = ['a', 'b', 'a', 'c', 'b', 'a', 'c', '?'];
    const spec = heatmap(options({ x: { title: 'key', labels } }));
    expect(JSON.stringify(spec)).toContain(JSON.stringify(`${JSON.stringify(labels)}[datum.value]`));
  });

  it('rejects ragged matrices, non-finite values, marks outside and wrong label counts', () => {
    expect(() => heatmap(options({ values: [[1, 2], [3]] }))).toThrow(
      'values[1] must be 2 numbers (as row 0), got 1',
    );
    expect(() => heatmap(options({ values: [[1, Number.POSITIVE_INFINITY]] }))).toThrow(
      'values[0][1] must be a finite number, got Infinity',
    );
    expect(() => heatmap(options({ marks: [{ row: size, column: 0 }] }))).toThrow(
      'marks[0].row must be an integer in [0, 7], got 8',
    );
    expect(() => heatmap(options({ y: { title: 'q', labels: ['a'] } }))).toThrow(
      'y.labels must be 8 strings, got 1',
    );
  });

  it('renders without warnings to the stored SVG', async () => {
    await expect(await renderStrict(heatmap(options({ lang: 'zh' })))).toMatchFileSnapshot(
      '__snapshots__/heatmap.zh.svg',
    );
  });
});
