import type { ArticleSection } from './figure.js';

/** The sections of the source article, one per cause of emergence, plus emergence itself. */
export const sections = {
  data: { id: '§1', zh: '海量数据：知识的基石', en: 'Massive data: the foundation of knowledge' },
  compute: { id: '§2', zh: '强大算力：驱动模型的引擎', en: 'Compute: the engine' },
  architecture: { id: '§3', zh: '精妙架构：智能的蓝图', en: 'Architecture: the blueprint' },
  overParameterization: {
    id: '§4',
    zh: '过参数化与模型的"自我进化"',
    en: 'Over-parameterization and double descent',
  },
  optimization: { id: '§5', zh: '训练优化：寻找最优解', en: 'Training optimization: SGD and flat minima' },
  emergence: {
    id: '涌现',
    zh: '涌现：从量变到质变',
    en: 'Emergence: quantitative change becomes qualitative',
  },
} satisfies Record<string, ArticleSection>;
