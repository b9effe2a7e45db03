/** "Loading": a CSS spinner (no antd, so that it can be the entry's Suspense fallback). */
export function PageSpin() {
  return (
    <div className="page-spin" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span className="page-spin-text">正在加载…</span>
    </div>
  );
}
