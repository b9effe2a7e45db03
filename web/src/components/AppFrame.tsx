/**
 * The root of the page: the same `<div class="ant-app …">` with the same generated styles (font,
 * colour, line height) that antd's <App> renders, without the message, notification and modal hooks
 * antd's App always imports (Modal brings Dialog and Skeleton along). The login page needs none of
 * them; the signed-in app, the password page and the security page get them from <AppHooks>
 * (a lazy chunk).
 */
import { ConfigProvider } from 'antd';
import useAppStyle from 'antd/es/app/style';
import { useContext } from 'react';

export function AppFrame({ children }: { children: React.ReactNode }) {
  const { getPrefixCls } = useContext(ConfigProvider.ConfigContext);
  const prefixCls = getPrefixCls('app');
  const [hashId, cssVarCls] = useAppStyle(prefixCls);
  return <div className={[hashId, prefixCls, cssVarCls].filter(Boolean).join(' ')}>{children}</div>;
}
