import { describe, expect, it } from 'vitest';
import { minutesParagraphs, sanitizeMinutes } from './minutes.ts';

describe('minutes', () => {
  it('SEC-20 minutes keep structure, lose scripts, handlers, links and images', () => {
    const dirty =
      '<p onclick="x()">会议<strong>决定</strong><script>alert(1)</script></p><img src=x onerror=alert(1)><a href="javascript:alert(1)">链接</a><style>p{}</style><table><tr><td style="color:red">甲</td></tr></table><iframe src="//evil"></iframe>';
    const clean = sanitizeMinutes(dirty);
    expect(clean).toBe('<p>会议<strong>决定</strong></p>链接<table><tr><td>甲</td></tr></table>');
    for (const bad of ['script', 'onerror', 'onclick', 'javascript:', '<img', '<a', 'style', 'iframe', 'alert'])
      expect(clean).not.toContain(bad);
    expect(minutesParagraphs('<p>一、传达&amp;学习</p><ul><li>二</li></ul>')).toEqual(['一、传达&学习', '二']);
  });
});
