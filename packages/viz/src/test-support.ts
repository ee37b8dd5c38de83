import type { FigureSpec } from './figure-spec.js';
import { renderSvg } from './render-svg.js';

/** Test helper: renders `spec` and fails on any Vega-Lite or Vega warning (a sign of a broken spec). */
export async function renderStrict(spec: FigureSpec): Promise<string> {
  const warnings: string[] = [];
  const svg = await renderSvg(spec, { onWarning: (message) => warnings.push(message) });
  if (warnings.length > 0) throw new Error(`Vega warnings: ${warnings.join('; ')}`);
  return svg;
}

/** The layers of a layered spec, as plain records for inspection in tests. */
export function layersOf(spec: FigureSpec): Array<Record<string, unknown>> {
  if (!('layer' in spec)) throw new Error('not a layered spec');
  return spec.layer as unknown as Array<Record<string, unknown>>;
}
