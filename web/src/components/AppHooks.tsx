/** antd's <App> context (App.useApp: message, notification, modal) without a DOM node of its own: AppFrame draws the root. */
import { App } from 'antd';

export default function AppHooks({ children }: { children: React.ReactNode }) {
  return <App component={false}>{children}</App>;
}
