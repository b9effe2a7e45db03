/**
 * antd for a part of the app: its root (AppFrame: theme, locale, the `ant-app` node) and the holders of
 * messages and dialogs (app/feedback.tsx: useFeedback), which load when the browser is first idle or at
 * the first message. Around the signed-in app (Shell) and around the password and security pages;
 * lazy, so the login page loads none of it.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { onFeedbackWanted } from '../app/feedback.tsx';
import { useIdle } from '../app/hooks.ts';
import { AppFrame } from './AppFrame.tsx';

const FeedbackHost = lazy(() => import('./FeedbackHost.tsx'));

export default function AppHooks({ children }: { children: React.ReactNode }) {
  const idle = useIdle();
  const [wanted, setWanted] = useState(false);
  useEffect(() => {
    onFeedbackWanted(() => setWanted(true));
    return () => onFeedbackWanted(null);
  }, []);
  return (
    <AppFrame>
      {children}
      {idle || wanted ? (
        <Suspense fallback={null}>
          <FeedbackHost />
        </Suspense>
      ) : null}
    </AppFrame>
  );
}
