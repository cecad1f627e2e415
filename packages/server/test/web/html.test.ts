import { describe, expect, it } from 'vitest';
import { html, SafeHtml, trustedHtml } from '../../src/html/html.ts';

describe('the html template', () => {
  it('escapes every interpolated text, in content and in quoted attributes', () => {
    const name = `<script>alert("x")</script>&'`;
    expect(html`<p title="${name}">${name}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
  });

  it('writes nested templates and lists as they are, escaping their texts once', () => {
    const items = ['a<b', 'c&d'].map((t) => html`<li>${t}</li>`);
    const out = html`<ul>${items}</ul>`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.text).toBe('<ul><li>a&lt;b</li><li>c&amp;d</li></ul>');
  });

  it('writes nothing for false, null and undefined, and numbers as digits', () => {
    expect(html`[${false}${null}${undefined}${0}${12.5}]`.text).toBe('[012.5]');
  });

  it('leaves markup alone only when marked trusted', () => {
    expect(html`${'<b>x</b>'}`.text).toBe('&lt;b&gt;x&lt;/b&gt;');
    expect(html`${trustedHtml('<b>x</b>')}`.text).toBe('<b>x</b>');
  });
});
