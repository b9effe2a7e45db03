/** The frame of the account pages that stand outside the app (password, two-step verification). */
import { Card } from 'antd';
import type { Me } from '../app/types.ts';
import { Logo } from './Logo.tsx';

export function AccountFrame({ me, title, children }: { me: Me; title: string; children: React.ReactNode }) {
  return (
    <div className="login-page">
      <div className="login-brand">
        <Logo />
        <div className="login-sub">
          {me.displayName} · {me.orgName}
        </div>
      </div>
      <Card className="login-card" title={title}>
        {children}
      </Card>
    </div>
  );
}
