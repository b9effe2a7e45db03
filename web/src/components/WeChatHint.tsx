/** How to download from WeChat's built-in browser: open the page in the phone's browser, or copy its link (app/wechat.ts). */
import { Button, Input, Space } from 'antd';
import { useState } from 'react';
import { feedbackNow } from '../app/feedback.tsx';

function CopyLink({ url }: { url: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard access in this browser: the link is selected for a long press → 复制.
      (document.getElementById('wechat-link') as HTMLInputElement | null)?.select();
    }
  };
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input id="wechat-link" value={url} readOnly onFocus={(e) => e.target.select()} aria-label="本页链接" />
      <Button type="primary" onClick={() => void copy()} data-testid="wechat-copy">
        {copied ? '已复制' : '复制链接'}
      </Button>
    </Space.Compact>
  );
}

export function showWeChatHint(): void {
  feedbackNow().modal.info({
    title: '请在手机浏览器中打开',
    icon: null,
    okText: '知道了',
    content: (
      <div data-testid="wechat-hint">
        <p>微信内不能下载文件。</p>
        <ol style={{ paddingInlineStart: 20 }}>
          <li>点右上角「···」</li>
          <li>选「在浏览器打开」，登录后再下载</li>
        </ol>
        <p>或复制本页链接，粘贴到手机浏览器中打开：</p>
        <CopyLink url={window.location.href} />
      </div>
    ),
  });
}
