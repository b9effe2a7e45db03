import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError, fetchEarly } from './app/api.ts';
import { fetchMe, ME_KEY } from './app/auth.ts';
import { sweepDrafts } from './app/drafts.ts';
import { AppRoutes, isPublicPath, preloadRoute } from './AppRoutes.tsx';
import './styles.css';

// No antd here: the login page is plain React and CSS. antd (theme, locale, the `ant-app` root) comes
// with the signed-in app and the account pages, in lazy chunks (components/AppHooks.tsx).

// Old drafts are swept when the browser is first idle, not before the first screen.
if (typeof window.requestIdleCallback === 'function')
  window.requestIdleCallback(() => sweepDrafts(), { timeout: 5000 });
else setTimeout(sweepDrafts, 2000);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Weak connections: retry network failures and 5xx a couple of times, never 4xx.
      retry: (count, err) => count < 2 && (!(err instanceof ApiError) || err.status === 0 || err.status >= 500),
      refetchOnWindowFocus: false,
      staleTime: 15_000,
    },
    mutations: { retry: false },
  },
});

// The first screen's chunks and, inside the app, the session check start now, side by side, rather than
// one after the other (bundle → session → page chunk → page data) on a slow phone network.
const arriving: Promise<unknown>[] = [preloadRoute(window.location.pathname)];
if (!isPublicPath(window.location.pathname))
  arriving.push(queryClient.prefetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000 }));
// The page's first reads that the server named in the HTML (for a signed-in browser only): taken from
// the browser's preload cache now, handed to the page at its first render (app/api.ts takeEarly).
for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel="preload"][as="fetch"]')) {
  const url = link.getAttribute('href');
  if (url?.startsWith('/api/') && url !== '/api/auth/me') arriving.push(fetchEarly(url));
}

// The app's shell kept on the device, so that it opens without a network (web/service-worker.js, built only).
// Registered once the first screen is done (its install fetches the other chunks: not before the page's own).
if (import.meta.env.PROD && 'serviceWorker' in navigator)
  window.addEventListener('load', () => {
    const register = () => void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
    if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(register, { timeout: 5000 });
    else setTimeout(register, 2000);
  });

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
// The first render waits a moment for what is already on its way (the page's chunks and the session
// check, named in the HTML, usually here by the time this runs): one render of the page, rather than a
// spinner and then the page, each a long task on a slow phone (bench/phone.ts). Never more than 300 ms.
void Promise.race([Promise.allSettled(arriving), new Promise((r) => setTimeout(r, 300))]).then(render);

function render() {
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
  );
}
