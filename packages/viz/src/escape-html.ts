const replacements: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values, so that any string (a title with
 * `<script>`, a file name with quotes) shows as text and never as markup.
 *
 * @example
 * ```ts
 * import { escapeHtml } from '@emerge/viz';
 *
 * escapeHtml('<b>"x"</b>'); // => '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
 * console.assert(escapeHtml('<b>"x"</b>') === '&lt;b&gt;&quot;x&quot;&lt;/b&gt;');
 * ```
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (character) => replacements[character] ?? character);
}
