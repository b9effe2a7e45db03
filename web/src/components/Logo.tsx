/** The platform's mark and name; its own module so that the login page does not load the app shell (menu, drawer, dropdown). */
export function Logo({ compact }: { compact?: boolean }) {
  return (
    <span className="logo">
      <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
        <rect width="32" height="32" rx="6" fill="#ffffff" fillOpacity="0.16" />
        <path d="M16 6l2.6 5.6 6.1.7-4.5 4.2 1.2 6-5.4-3-5.4 3 1.2-6-4.5-4.2 6.1-.7z" fill="#ffd75e" />
      </svg>
      <span className="logo-text">{compact ? '党建平台' : '党建工作平台'}</span>
    </span>
  );
}
