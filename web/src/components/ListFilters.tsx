/**
 * The filters over a list (components/ResponsiveList.tsx): a card with the controls in one wrapping
 * row (full width each on a phone when given `style={{ width: isMobile ? '100%' : … }}`), 清空条件 when
 * any filter is set, and what unfolds below the row (更多条件).
 */
import { Button } from 'antd';
import { LiteCard } from './LiteCard.tsx';

export function ListFilters({
  children,
  onClear,
  below,
}: {
  children: React.ReactNode /** Shown (as 清空条件) only when given: pass it when a filter is set. */;
  onClear?: () => void;
  below?: React.ReactNode;
}) {
  return (
    <LiteCard size="small" style={{ marginBottom: 12 }}>
      <div className="filter-bar">
        {children}
        {onClear ? (
          <Button type="link" onClick={onClear} data-testid="filters-clear">
            清空条件
          </Button>
        ) : null}
      </div>
      {below}
    </LiteCard>
  );
}
