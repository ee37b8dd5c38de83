import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape-html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can open markup or close an attribute', () => {
    expect(escapeHtml(`<script>alert("x" + 'y') && 1</script>`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39;) &amp;&amp; 1&lt;/script&gt;',
    );
  });

  it('leaves other text, including Chinese, unchanged', () => {
    expect(escapeHtml('损失 loss = 1.5')).toBe('损失 loss = 1.5');
  });
});
