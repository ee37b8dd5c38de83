/**
 * `attention-map` (§3): where a Transformer trained on delayed recall at the largest distance looks. From
 * the query position, some attention head puts its largest weight on the marked key d positions back:
 * attention retrieves the key in one step, by content, however far away it is (Vaswani et al. 2017;
 * Olsson et al. 2022). The run is the Transformer run of the long-range comparison (`long-range-run.ts`),
 * so a figure drawing that comparison shares it through the run cache.
 */
import { heatmap, linePlot, multiPanel } from '@emerge/viz';
import { type Claim, checkClaim, type FigureDefinition, type FigureRun } from '../figure.js';
import { sections } from '../sections.js';
import {
  type AttentionProbe,
  bestHead,
  type LongRangeResult,
  type LongRangeRunConfig,
  longestTransformerRun,
  type ProbedExample,
} from './long-range-run.js';

/** One head's record over the probed examples. */
export interface HeadSummary {
  /** 0-based layer and head. */
  layer: number;
  head: number;
  /** Share of examples whose attention from the query peaks on the key. */
  keyShare: number;
  /** Mean attention weight from the query on the key. */
  meanKeyWeight: number;
}

/** The figure's plain data. */
export interface AttentionMapData {
  distance: number;
  length: number;
  symbols: number;
  /** Held-out accuracy of the probed model at the query. */
  accuracy: number;
  /** Training steps the probed model took. */
  steps: number;
  layerCount: number;
  headCount: number;
  /** Per held-out example: where each head's attention from the query peaks, and its weight on the key. */
  examples: ProbedExample[];
  heads: HeadSummary[];
  /** One example's map (positions 0..query) for the head that finds the key most often. */
  map: AttentionProbe['map'];
}

/**
 * Summarizes each head (index `layer * heads + head`) over the probed examples.
 * @example
 * ```ts
 * headSummaries([{ key: 1, query: 3, argmax: [1, 0], keyWeight: [0.9, 0.2] }], 1, 2);
 * // [{ layer: 0, head: 0, keyShare: 1, meanKeyWeight: 0.9 }, { layer: 0, head: 1, keyShare: 0, meanKeyWeight: 0.2 }]
 * ```
 */
export function headSummaries(
  examples: ProbedExample[],
  layerCount: number,
  headCount: number,
): HeadSummary[] {
  return Array.from({ length: layerCount * headCount }, (_, index) => ({
    layer: Math.floor(index / headCount),
    head: index % headCount,
    keyShare: examples.filter((example) => example.argmax[index] === example.key).length / examples.length,
    meanKeyWeight:
      examples.reduce((sum, example) => sum + (example.keyWeight[index] ?? 0), 0) / examples.length,
  }));
}

/**
 * Share of examples in which at least one head's attention from the query peaks on the key.
 * @example
 * ```ts
 * someHeadFindsKey([
 *   { key: 1, query: 3, argmax: [1, 0], keyWeight: [0.9, 0.1] },
 *   { key: 0, query: 3, argmax: [2, 2], keyWeight: [0.1, 0.1] },
 * ]); // 0.5
 * ```
 */
export function someHeadFindsKey(examples: ProbedExample[]): number {
  if (examples.length === 0) return Number.NaN;
  return examples.filter((example) => example.argmax.includes(example.key)).length / examples.length;
}

/** The claim check of FIGURES.md. */
export function attentionMapClaims(data: AttentionMapData): Claim[] {
  return [
    checkClaim({
      id: 'some-head-finds-key',
      statement: `On held-out examples at d = ${data.distance}, some head's largest attention weight from the query position falls on the key position (value: share of ${data.examples.length} examples)`,
      value: someHeadFindsKey(data.examples),
      comparison: '>=',
      threshold: 0.9,
    }),
  ];
}

function percent(value: number): string {
  return Number.isFinite(value) ? `${Math.round(100 * value)}%` : '?';
}

/**
 * Axis labels of the map: `K` + symbol at the marked key, `?` at the query, the position every 10
 * positions where that does not crowd them, and nothing elsewhere (one label per position would overlap).
 * @example
 * ```ts
 * // Plain symbols 0-7, key 8 + 3 at position 1, query (16) at position 13.
 * mapAxisLabels([5, 11, 2, 0, 1, 4, 7, 6, 5, 3, 2, 1, 0, 16], 1, 13, 8);
 * // ['', 'K3', '', '', '', '', '', '', '', '', '', '', '', '?'] (10 is within 3 of the query)
 * ```
 */
export function mapAxisLabels(tokens: number[], key: number, query: number, symbols: number): string[] {
  return tokens.map((token, position) => {
    if (position === key) return `K${token - symbols}`;
    if (position === query) return '?';
    const crowded = Math.abs(position - key) <= 3 || Math.abs(position - query) <= 3;
    return position % 10 === 0 && !crowded ? String(position) : '';
  });
}

/** Mean attention weight on the key from the positions after it up to the query, in the drawn map. */
export function meanWeightAfterKey(map: AttentionProbe['map']): number {
  const rows = map.weights.slice(map.key + 1, map.query + 1);
  if (rows.length === 0) return Number.NaN;
  return rows.reduce((sum, row) => sum + (row[map.key] ?? 0), 0) / rows.length;
}

/** The head the map shows, named like "layer 2, head 3". */
function headName(layer: number, head: number, lang: 'en' | 'zh'): string {
  return lang === 'en' ? `layer ${layer + 1}, head ${head + 1}` : `第 ${layer + 1} 层第 ${head + 1} 个头`;
}

/** The `attention-map` figure. */
export const attentionMap: FigureDefinition<AttentionMapData> = {
  id: 'attention-map',
  title: {
    en: 'Where attention looks: the query finds the key',
    zh: '注意力看向哪里：查询找到键',
  },
  section: sections.architecture,
  anchor:
    'Vaswani et al. 2017 (attention visualizations); Olsson et al. 2022 (induction heads: attention that retrieves a matching earlier token)',
  sweep(preset, seed): FigureRun[] {
    return [longestTransformerRun(preset, seed)];
  },
  assemble(results): AttentionMapData {
    const [entry] = results;
    if (!entry) throw new Error('attention-map: the sweep returned no run');
    const config = entry.run.config as LongRangeRunConfig;
    const result = entry.result as LongRangeResult;
    if (!result.attention) throw new Error('attention-map: the long-range run recorded no attention');
    const { layerCount, headCount, examples, map } = result.attention;
    return {
      distance: config.distance,
      length: config.length,
      symbols: config.symbols,
      accuracy: result.accuracy,
      steps: result.steps,
      layerCount,
      headCount,
      examples,
      heads: headSummaries(examples, layerCount, headCount),
      map,
    };
  },
  claims: (data) => attentionMapClaims(data),
  caption(data, lang) {
    const share = someHeadFindsKey(data.examples);
    const best = data.heads[bestHead(data.examples, data.layerCount * data.headCount)];
    const bestText = best
      ? lang === 'en'
        ? `${headName(best.layer, best.head, lang)} alone peaks on the key in ${percent(best.keyShare)} of them, with a mean weight of ${best.meanKeyWeight.toFixed(2)} on it`
        : `其中${headName(best.layer, best.head, lang)}单独就在 ${percent(best.keyShare)} 的样本中峰值落在键上，键上的平均权重为 ${best.meanKeyWeight.toFixed(2)}`
      : '';
    const { map } = data;
    const weightOnKey = map.weights[map.query]?.[map.key] ?? Number.NaN;
    const afterKey = meanWeightAfterKey(map);
    const afterText =
      afterKey >= 0.9
        ? lang === 'en'
          ? `, and so do the positions after the key (mean ${afterKey.toFixed(2)} over positions ${map.key + 1}-${map.query}): the head finds the key by its mark, whatever the distance`
          : `，键之后的各位置也都如此（位置 ${map.key + 1}-${map.query} 的平均值为 ${afterKey.toFixed(2)}）：该头靠标记找到键，与距离无关`
        : lang === 'en'
          ? ` (the positions after the key put a mean of ${afterKey.toFixed(2)} on it)`
          : `（键之后各位置在键上的平均权重为 ${afterKey.toFixed(2)}）`;
    return lang === 'en'
      ? `The ${data.layerCount}-layer, ${data.headCount}-head Transformer trained on delayed recall at d = ${data.distance} (sequence length ${data.length}; ${percent(data.accuracy)} held-out accuracy after ${data.steps} steps). On ${percent(share)} of ${data.examples.length} held-out sequences some head's largest attention weight from the query position falls on the marked key; ${bestText}. Left: that head's attention (query position × key position, causal, so the upper triangle is empty) on one held-out sequence: the query row puts ${weightOnKey.toFixed(2)} on the framed key${afterText}. Axis labels: K = the marked key, ? = the query, and every 10th position. Right: per head, the share of sequences whose query attention peaks on the key and the mean weight on it.`
      : `在 d = ${data.distance} 的延迟回忆任务上训练的 ${data.layerCount} 层、每层 ${data.headCount} 个头的 Transformer（序列长度 ${data.length}；训练 ${data.steps} 步后留出准确率 ${percent(data.accuracy)}）。在 ${data.examples.length} 条留出序列中，有 ${percent(share)} 的序列里某个头从查询位置发出的最大注意力权重落在被标记的键上；${bestText}。左图：该头在一条留出序列上的注意力（查询位置 × 键位置，因果掩码使上三角为空）：查询行在框出的键上的权重为 ${weightOnKey.toFixed(2)}${afterText}。坐标标签：K 为被标记的键，? 为查询，另每 10 个位置标一次。右图：每个头的查询注意力峰值落在键上的序列比例，以及键上的平均权重。`;
  },
  plot(data, lang) {
    const { map } = data;
    const labels = mapAxisLabels(map.tokens, map.key, map.query, data.symbols);
    const mapPanel = heatmap({
      lang,
      title: {
        en: `(a) ${headName(map.layer, map.head, 'en')}, one held-out sequence`,
        zh: `(a) ${headName(map.layer, map.head, 'zh')}，一条留出序列`,
      },
      caption: '',
      width: 360,
      height: 360,
      x: { title: { en: 'key position (attended to)', zh: '被关注的位置（键）' }, labels },
      y: { title: { en: 'query position (attending)', zh: '发出注意力的位置（查询）' }, labels },
      values: map.weights,
      color: { title: { en: 'attention weight', zh: '注意力权重' }, domain: [0, 1] },
      marks: [{ row: map.query, column: map.key, label: { en: 'key', zh: '键' } }],
    });
    const headIndex = (summary: HeadSummary) => summary.layer * data.headCount + summary.head + 1;
    const headsPanel = linePlot({
      lang,
      title: { en: '(b) every head, held-out sequences', zh: '(b) 每个头，留出序列' },
      caption: '',
      x: {
        title: {
          en: `head (1-${data.headCount}: layer 1, then layer 2, ...)`,
          zh: `头（1-${data.headCount} 为第 1 层，其后为第 2 层……）`,
        },
        domain: [1, data.layerCount * data.headCount],
      },
      y: { title: { en: 'share / weight', zh: '比例 / 权重' }, format: '.0%', domain: [0, 1] },
      series: [
        {
          name: { en: 'peak on the key', zh: '峰值落在键上' },
          points: data.heads.map((summary) => ({ x: headIndex(summary), y: summary.keyShare })),
        },
        {
          name: { en: 'mean weight on the key', zh: '键上的平均权重' },
          points: data.heads.map((summary) => ({ x: headIndex(summary), y: summary.meanKeyWeight })),
        },
      ],
      points: true,
    });
    return multiPanel({
      lang,
      title: attentionMap.title,
      caption: attentionMap.caption(data, lang),
      panels: [mapPanel, headsPanel],
    });
  },
};
