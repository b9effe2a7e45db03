/**
 * WeChat's built-in browser (user agent with `MicroMessenger`, WeCom's too) does not save downloaded
 * files: a download there silently does nothing (issue 18 §3). Every download starts through
 * `refuseDownloadInWeChat`, which says instead how to open the page in the phone's own browser
 * (右上角 ··· → 在浏览器打开) or copy its link (components/WeChatHint.tsx, loaded only then).
 */

export const WECHAT_DOWNLOAD_CODE = 'WECHAT_DOWNLOAD';
export const WECHAT_DOWNLOAD_MESSAGE = '微信内不能下载文件，请在手机浏览器中打开本页后再下载';

/** Whether `ua` is WeChat's (or WeCom's) built-in browser. */
export function isWeChat(ua: string | undefined = globalThis.navigator?.userAgent): boolean {
  return /MicroMessenger/i.test(ua ?? '');
}

/** In WeChat: shows how to open the page in the phone's browser and answers true (the caller stops); elsewhere false. */
export function refuseDownloadInWeChat(ua?: string): boolean {
  if (!isWeChat(ua)) return false;
  if (typeof document !== 'undefined')
    void import('../components/WeChatHint.tsx').then(
      (m) => m.showWeChatHint(),
      () => undefined,
    );
  return true;
}
