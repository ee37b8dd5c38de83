import type { Bilingual, Claim } from '../figure.js';

/**
 * The sentence a caption ends with when some of its claims do not hold (empty when all hold), so a
 * reader of the figure alone sees what did not hold, in the caption's language.
 */
export function notHoldingText(claims: Claim[], lang: keyof Bilingual): string {
  const failing = claims.filter((claim) => !claim.holds).map((claim) => claim.id);
  if (failing.length === 0) return '';
  return lang === 'en'
    ? ` Not holding here: ${failing.join(', ')}.`
    : ` 未成立的检验：${failing.join('、')}。`;
}
