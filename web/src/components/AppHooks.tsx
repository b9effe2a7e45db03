/**
 * antd for a part of the app: its root (AppFrame: theme, locale, the `ant-app` node) and antd's <App>
 * context (App.useApp: message, notification, modal). Around the signed-in app (Shell) and around the
 * password and security pages; lazy, so the login page loads none of it.
 */
import { App } from 'antd';
import { AppFrame } from './AppFrame.tsx';

export default function AppHooks({ children }: { children: React.ReactNode }) {
  return (
    <AppFrame>
      <App component={false}>{children}</App>
    </AppFrame>
  );
}
