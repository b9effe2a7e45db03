import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, download, uploadForDownload } from './api.ts';
import { isWeChat, refuseDownloadInWeChat, WECHAT_DOWNLOAD_CODE } from './wechat.ts';

const WECHAT_ANDROID =
  'Mozilla/5.0 (Linux; Android 13; V2219A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/1110017 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64';
const WECHAT_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.46(0x18002e2c) NetType/WIFI Language/zh_CN';
const WECOM =
  'Mozilla/5.0 (Linux; Android 12; M2102J2SC) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/86.0.4240.99 Mobile Safari/537.36 wxwork/4.1.16 MicroMessenger/7.0.1 NetType/WIFI Language/zh';
const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1';

describe('downloads in WeChat (issue 18 §3)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("recognises WeChat's and WeCom's built-in browsers, and no other", () => {
    expect([WECHAT_ANDROID, WECHAT_IOS, WECOM].map((ua) => isWeChat(ua))).toEqual([true, true, true]);
    expect([CHROME_ANDROID, SAFARI_IOS, ''].map((ua) => isWeChat(ua))).toEqual([false, false, false]);
    expect(refuseDownloadInWeChat(CHROME_ANDROID)).toBe(false);
    expect(refuseDownloadInWeChat(WECHAT_IOS)).toBe(true);
  });

  it('refuses a download there with a Chinese message before asking the server, instead of one that silently does nothing', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    vi.stubGlobal('navigator', { userAgent: WECHAT_ANDROID });
    const refused = await download('/api/problems/export', {}, '问题清单.xlsx').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe(WECHAT_DOWNLOAD_CODE);
    expect((refused as ApiError).message).toContain('浏览器');
    const upload = await uploadForDownload(
      '/api/members/import/rejected',
      {},
      new File(['x'], 'a.xlsx'),
      {},
      'x.xlsx',
    ).catch((e: unknown) => e);
    expect((upload as ApiError).code).toBe(WECHAT_DOWNLOAD_CODE);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('downloads elsewhere as before', async () => {
    vi.stubGlobal('navigator', { userAgent: CHROME_ANDROID });
    const fetch = vi.fn(async () => new Response('{"code":"FORBIDDEN","message":"无权限"}', { status: 403 }));
    vi.stubGlobal('fetch', fetch);
    const refused = await download('/api/problems/export', {}, '问题清单.xlsx').catch((e: unknown) => e);
    expect(fetch).toHaveBeenCalledOnce();
    expect((refused as ApiError).code).toBe('FORBIDDEN');
  });
});
