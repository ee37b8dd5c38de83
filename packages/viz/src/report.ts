import { escapeHtml } from './escape-html.js';
import { requireText } from './figure-spec.js';
import { type Lang, localize, type Text } from './localized-text.js';
import { OptionError } from './option-error.js';
import { fontFamily, okabeIto } from './theme.js';

/** One claim check of a figure: a number computed from the figure's data against a threshold. */
export interface ReportClaim {
  /** Stable id of the claim, e.g. `peak-location`. */
  id: string;
  /** What the claim says, e.g. "test loss decreases with D for every size". */
  statement: Text;
  /** Whether the measured value met the threshold. */
  holds: boolean;
  /** The measured value (numbers are shown with 4 significant digits); null when it could not be measured. */
  value: number | string | null;
  /** The threshold, e.g. `0.95` or `'>= 0.95'`. */
  threshold: number | string;
}

/** Where a figure's numbers came from, so a reader can reproduce them. */
export interface ReportProvenance {
  preset: string;
  seed: number;
  /** Package name -> version, e.g. `{ '@emerge/core': '0.1.0', '@tensorflow/tfjs': '4.22.0' }`. */
  versions: Record<string, string>;
  /** tfjs backend, e.g. `wasm`. */
  backend: string;
  /** Node.js version, e.g. `v20.20.2`. */
  node: string;
  /** ISO 8601 start time of the run. */
  startedAt: string;
  durationMs: number;
}

/** One figure of the report: its picture, text, claim checks and provenance. */
export interface ReportFigure {
  /** Stable figure id (the CLI argument and file name), unique within the report. */
  id: string;
  title: Text;
  /** The article section the figure illustrates. Figures of one section are grouped under it. */
  section: Text;
  caption: Text;
  /** The figure as SVG markup (from `renderSvg`), embedded as a data URI. Give this or `image`. */
  svg?: string;
  /** The figure as an image file name relative to the report (e.g. `data-scaling.png`), or a `data:image/` URI. */
  image?: string;
  /** Pixels of `image` per CSS pixel (the `scale` it was rendered with), so it shows at figure size. Default 2. */
  imageScale?: number;
  claims: ReportClaim[];
  provenance: ReportProvenance;
}

/** Options of {@link renderReport}. */
export interface ReportOptions {
  /** The report title (required). */
  title: Text;
  /** The figures in reading order (required, may be empty). */
  figures: ReportFigure[];
  /** Language of all text. Default `'en'`. */
  lang?: Lang;
}

const labels = {
  contents: { en: 'Contents', zh: '目录' },
  summary: { en: 'claims hold', zh: '项论断成立' },
  figure: { en: 'Figure', zh: '图' },
  claims: { en: 'Claim checks', zh: '论断检验' },
  claim: { en: 'Claim', zh: '论断' },
  measured: { en: 'Measured', zh: '实测值' },
  threshold: { en: 'Threshold', zh: '阈值' },
  result: { en: 'Result', zh: '结果' },
  holds: { en: '✓ holds', zh: '✓ 成立' },
  fails: { en: '✗ does not hold', zh: '✗ 不成立' },
  noClaims: { en: 'This figure has no claim checks.', zh: '此图没有论断检验。' },
  provenance: { en: 'Provenance', zh: '来源' },
  preset: { en: 'preset', zh: '预设' },
  seed: { en: 'seed', zh: '随机种子' },
  backend: { en: 'backend', zh: '后端' },
  node: { en: 'Node.js', zh: 'Node.js' },
  startedAt: { en: 'started', zh: '开始时间' },
  duration: { en: 'duration', zh: '耗时' },
  versions: { en: 'versions', zh: '版本' },
} as const;

/**
 * Renders the report of a figure run as one self-contained HTML page (inline CSS, figures as data URIs
 * or image files beside it, no scripts): every figure with its section, caption, claim table
 * (statement, measured value, threshold, holds or not) and provenance. Every string is escaped.
 *
 * @example
 * ```ts
 * import { renderReport } from '@emerge/viz';
 *
 * const html = renderReport({
 *   title: 'emerge-figures',
 *   lang: 'en',
 *   figures: [
 *     {
 *       id: 'grokking',
 *       title: 'Grokking',
 *       section: 'Emergence',
 *       caption: 'Test accuracy jumps long after training accuracy.',
 *       image: 'grokking.png', // or svg: '<svg ...>' inline
 *       claims: [{ id: 'delay', statement: 't2 >= 5 t1', holds: true, value: 9.4, threshold: '>= 5' }],
 *       provenance: {
 *         preset: 'quick', seed: 0, versions: { 'emerge-figures': '0.1.0' }, backend: 'wasm', node: 'v20.11.0',
 *         startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1000,
 *       },
 *     },
 *   ],
 * }); // write it with fs.writeFile('figures/index.html', html)
 * console.assert(html.startsWith('<!DOCTYPE html>') && html.includes('t2 &gt;= 5 t1'));
 * ```
 */
export function renderReport(options: ReportOptions): string {
  const lang = options.lang ?? 'en';
  if (lang !== 'en' && lang !== 'zh') throw new OptionError('lang', "'en' or 'zh'", lang);
  const title = localize(requireText('title', options.title), lang);
  if (!Array.isArray(options.figures)) throw new OptionError('figures', 'an array', options.figures);
  const ids = new Set<string>();
  for (const [index, figure] of options.figures.entries()) checkFigure(figure, index, ids);
  const t = (label: keyof typeof labels) => escapeHtml(labels[label][lang]);
  const claims = options.figures.flatMap((figure) => figure.claims);
  const held = claims.filter((claim) => claim.holds).length;

  const sections: Array<{ name: string; figures: ReportFigure[] }> = [];
  for (const figure of options.figures) {
    const name = localize(figure.section, lang);
    const last = sections.at(-1);
    if (last?.name === name) last.figures.push(figure);
    else sections.push({ name, figures: [figure] });
  }

  const contents = options.figures
    .map((figure) => {
      const passed = figure.claims.filter((claim) => claim.holds).length;
      const status = passed === figure.claims.length ? 'holds' : 'fails';
      return `<li><a href="#${escapeHtml(anchor(figure.id))}">${escapeHtml(localize(figure.title, lang))}</a> <span class="count ${status}">${passed}/${figure.claims.length}</span></li>`;
    })
    .join('\n');
  const body = sections
    .map(
      (section) =>
        `<section>\n<h2>${escapeHtml(section.name)}</h2>\n${section.figures.map((figure) => figureHtml(figure, lang, t)).join('\n')}\n</section>`,
    )
    .join('\n');

  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="summary"><strong>${held}/${claims.length}</strong> ${t('summary')}</p>
</header>
<nav>
<h2>${t('contents')}</h2>
<ol>
${contents}
</ol>
</nav>
<main>
${body}
</main>
</body>
</html>
`;
}

function figureHtml(figure: ReportFigure, lang: Lang, t: (label: keyof typeof labels) => string): string {
  const title = escapeHtml(localize(figure.title, lang));
  const picture =
    figure.svg === undefined
      ? // A density descriptor draws a 2x PNG at half its pixel size; a src would count as a 1x candidate.
        `srcset="${escapeHtml(`${(figure.image ?? '').replace(/\s/g, encodeURIComponent)} ${figure.imageScale ?? 2}x`)}"`
      : `src="${escapeHtml(svgDataUri(figure.svg))}"`;
  const claimRows = figure.claims
    .map((claim) => {
      const status = claim.holds ? 'holds' : 'fails';
      return `<tr class="${status}"><td>${escapeHtml(localize(claim.statement, lang))}<br><code>${escapeHtml(claim.id)}</code></td><td class="number">${escapeHtml(formatValue(claim.value))}</td><td class="number">${escapeHtml(formatValue(claim.threshold))}</td><td class="result">${t(status)}</td></tr>`;
    })
    .join('\n');
  const claims =
    figure.claims.length === 0
      ? `<p>${t('noClaims')}</p>`
      : `<table>\n<thead><tr><th>${t('claim')}</th><th>${t('measured')}</th><th>${t('threshold')}</th><th>${t('result')}</th></tr></thead>\n<tbody>\n${claimRows}\n</tbody>\n</table>`;
  const p = figure.provenance;
  const versions = Object.entries(p.versions)
    .map(([name, version]) => `${escapeHtml(name)} ${escapeHtml(version)}`)
    .join(', ');
  const provenance: Array<[string, string]> = [
    [t('preset'), escapeHtml(p.preset)],
    [t('seed'), escapeHtml(String(p.seed))],
    [t('backend'), escapeHtml(p.backend)],
    [t('node'), escapeHtml(p.node)],
    [t('startedAt'), escapeHtml(p.startedAt)],
    [t('duration'), escapeHtml(`${formatValue(p.durationMs / 1000)} s`)],
    [t('versions'), versions],
  ];
  return `<article id="${escapeHtml(anchor(figure.id))}">
<h3>${title} <code>${escapeHtml(figure.id)}</code></h3>
<figure>
<img ${picture} alt="${title}">
<figcaption>${escapeHtml(localize(figure.caption, lang))}</figcaption>
</figure>
<h4>${t('claims')}</h4>
${claims}
<details>
<summary>${t('provenance')}</summary>
<dl>${provenance.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('')}</dl>
</details>
</article>`;
}

/** Checks the fields the page needs; ids must be unique because they are the link targets. */
function checkFigure(figure: ReportFigure, index: number, ids: Set<string>): void {
  const field = `figures[${index}]`;
  if (typeof figure?.id !== 'string' || figure.id === '')
    throw new OptionError(`${field}.id`, 'a non-empty string', figure?.id);
  if (ids.has(figure.id)) throw new OptionError(`${field}.id`, 'unique', figure.id);
  ids.add(figure.id);
  requireText(`${field}.title`, figure.title);
  requireText(`${field}.section`, figure.section);
  requireText(`${field}.caption`, figure.caption);
  if ((figure.svg === undefined) === (figure.image === undefined)) {
    throw new OptionError(field, 'given exactly one of svg and image', figure.id);
  }
  // A URL scheme other than data:image/ (javascript:, http:) has no place in a self-contained report.
  if (
    figure.image !== undefined &&
    /^[a-z][a-z0-9+.-]*:/i.test(figure.image) &&
    !figure.image.startsWith('data:image/')
  ) {
    throw new OptionError(`${field}.image`, 'a relative file name or a data:image/ URI', figure.image);
  }
  const scale = figure.imageScale ?? 2;
  if (typeof scale !== 'number' || !(scale > 0 && scale <= 16))
    throw new OptionError(`${field}.imageScale`, 'a number in (0, 16]', scale);
  if (!Array.isArray(figure.claims)) throw new OptionError(`${field}.claims`, 'an array', figure.claims);
  figure.claims.forEach((claim, claimIndex) => {
    requireText(`${field}.claims[${claimIndex}].statement`, claim.statement);
    if (typeof claim.holds !== 'boolean')
      throw new OptionError(`${field}.claims[${claimIndex}].holds`, 'a boolean', claim.holds);
  });
  if (typeof figure.provenance !== 'object' || figure.provenance === null) {
    throw new OptionError(`${field}.provenance`, 'an object', figure.provenance);
  }
}

/** The fragment id of a figure's article: prefixed so that it cannot clash with other ids. */
function anchor(id: string): string {
  return `figure-${id}`;
}

/** SVG as a data URI: an <img> runs no script inside it, and percent-encoding keeps UTF-8 text. */
function svgDataUri(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** Numbers with 4 significant digits (1e-20 stays 1e-20), null as a dash, strings as they are. */
function formatValue(value: number | string | null): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

const [blue, vermillion, green] = okabeIto;

const styles = `
body { font-family: ${fontFamily}; color: #222; max-width: 1040px; margin: 0 auto; padding: 24px; line-height: 1.5; }
h1 { font-size: 28px; margin-bottom: 4px; }
h2 { font-size: 22px; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 40px; }
h3 { font-size: 18px; margin-bottom: 8px; }
h3 code { font-size: 13px; color: #666; font-weight: normal; }
h4 { font-size: 15px; margin: 16px 0 6px; }
a { color: ${blue}; }
figure { margin: 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #444; margin-top: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.number { font-variant-numeric: tabular-nums; white-space: nowrap; }
td code { color: #666; font-size: 12px; }
tr.holds td.result, .count.holds { color: #004d38; background: #d4efe6; border-left: 4px solid ${green}; font-weight: bold; }
tr.fails td.result, .count.fails { color: #7a3300; background: #fbe2d3; border-left: 4px solid ${vermillion}; font-weight: bold; }
.count { padding: 0 6px; border-radius: 3px; font-size: 13px; }
.summary { font-size: 16px; }
article { margin-bottom: 36px; }
details { margin-top: 10px; font-size: 13px; color: #444; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
dt { font-weight: bold; }
dd { margin: 0; }
`;
