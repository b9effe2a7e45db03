/**
 * antd's root for the parts of the app that use antd (the signed-in app, the password page and the
 * security page, all lazy chunks): ConfigProvider (theme, Chinese locale, dayjs in Chinese) and the
 * same `<div class="ant-app …">` with the same generated styles (font, colour, line height) that
 * antd's <App> renders. Not in the entry chunk: the login page is plain React and CSS, so the first
 * screen downloads no antd at all.
 */
import { ConfigProvider } from 'antd';
import useAppStyle from 'antd/es/app/style';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useContext } from 'react';
import { theme } from '../app/theme.ts';

dayjs.locale('zh-cn');

function AppRoot({ children }: { children: React.ReactNode }) {
  const { getPrefixCls } = useContext(ConfigProvider.ConfigContext);
  const prefixCls = getPrefixCls('app');
  const [hashId, cssVarCls] = useAppStyle(prefixCls);
  return <div className={[hashId, prefixCls, cssVarCls].filter(Boolean).join(' ')}>{children}</div>;
}

export function AppFrame({ children }: { children: React.ReactNode }) {
  return (
    <ConfigProvider locale={zhCN} theme={theme}>
      <AppRoot>{children}</AppRoot>
    </ConfigProvider>
  );
}
