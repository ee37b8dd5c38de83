import { describe, expect, it } from 'vitest';
import { type ReportFigure, renderReport } from './report.js';

const provenance = {
  preset: 'quick',
  seed: 7,
  versions: { '@emerge/core': '0.1.0', '@tensorflow/tfjs': '4.22.0' },
  backend: 'wasm',
  node: 'v20.20.2',
  startedAt: '2026-11-28T12:00:00.000Z',
  durationMs: 12_345,
};

function figure(overrides: Partial<ReportFigure> = {}): ReportFigure {
  return {
    id: 'grokking',
    title: { en: 'Grokking', zh: '顿悟' },
    section: { en: 'Emergence', zh: '涌现：从量变到质变' },
    caption: {
      en: 'Test accuracy rises long after train accuracy.',
      zh: '测试准确率在训练准确率之后很久才上升。',
    },
    svg: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>顿悟 & co</text></svg>',
    claims: [
      {
        id: 'late-generalization',
        statement: { en: 't2 >= 5 t1', zh: 't2 >= 5 t1' },
        holds: true,
        value: 9.87654,
        threshold: 5,
      },
      {
        id: 'control',
        statement: { en: 'no weight decay stays below 20%', zh: '无权重衰减时低于 20%' },
        holds: false,
        value: 0.2345,
        threshold: '< 0.2',
      },
    ],
    provenance,
    ...overrides,
  };
}

describe('renderReport', () => {
  it('shows every figure with its section, caption, claims and provenance', () => {
    const html = renderReport({
      title: { en: 'emerge-figures report', zh: 'emerge-figures 报告' },
      figures: [
        figure(),
        figure({ id: 'attention-map', svg: undefined, image: 'attention-map.png', claims: [] }),
      ],
    });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="en">');
    // Both figures share a section: one heading.
    expect(html.match(/<h2>Emergence<\/h2>/g)).toHaveLength(1);
    expect(html).toContain('Test accuracy rises long after train accuracy.');
    expect(html).toContain(
      '<td class="number">9.877</td><td class="number">5</td><td class="result">✓ holds</td>',
    );
    expect(html).toContain(
      '<td class="number">0.2345</td><td class="number">&lt; 0.2</td><td class="result">✗ does not hold</td>',
    );
    expect(html).toContain('<strong>1/2</strong> claims hold');
    expect(html).toContain('<img srcset="attention-map.png 2x"');
    expect(html).toContain('This figure has no claim checks.');
    expect(html).toContain('<dd>12.35 s</dd>');
    expect(html).toContain('@tensorflow/tfjs 4.22.0');
    // The SVG is embedded as a percent-encoded data URI, so its markup cannot leak into the page.
    expect(html).toContain(`src="data:image/svg+xml;charset=utf-8,${encodeURIComponent('<svg xmlns')}`);
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('<script');
  });

  it('renders all text in Chinese for lang zh', () => {
    const html = renderReport({ title: { en: 'report', zh: '报告' }, figures: [figure()], lang: 'zh' });
    expect(html).toContain('<html lang="zh-CN">');
    for (const text of [
      '<h2>涌现：从量变到质变</h2>',
      '顿悟',
      '✓ 成立',
      '✗ 不成立',
      '论断检验',
      '随机种子',
    ]) {
      expect(html).toContain(text);
    }
  });

  it('escapes every string, so a title with <script> shows as text', () => {
    const evil = '<script>window.pwned = 1</script>';
    const html = renderReport({
      title: evil,
      figures: [
        figure({
          id: `"><img src=x onerror=alert(1)>`,
          title: evil,
          section: evil,
          caption: evil,
          claims: [{ id: evil, statement: evil, holds: true, value: evil, threshold: evil }],
          provenance: { ...provenance, preset: evil, backend: evil, versions: { [evil]: evil } },
        }),
      ],
    });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;window.pwned = 1&lt;/script&gt;');
  });

  it('rejects duplicate ids, a figure with both or neither picture, and script URLs', () => {
    expect(() => renderReport({ title: 't', figures: [figure(), figure()] })).toThrow(
      'figures[1].id must be unique',
    );
    expect(() => renderReport({ title: 't', figures: [figure({ image: 'a.png' })] })).toThrow(
      'figures[0] must be given exactly one of svg and image',
    );
    expect(() =>
      renderReport({ title: 't', figures: [figure({ svg: undefined, image: 'javascript:alert(1)' })] }),
    ).toThrow('figures[0].image must be a relative file name');
    expect(() => renderReport({ title: 't', figures: [], lang: 'fr' as 'en' })).toThrow(
      "lang must be 'en' or 'zh'",
    );
  });
});
