/**
 * Paging for a phone's list: 上一页 · 3 / 1,561 · 下一页 and the total. antd's Pagination brings its
 * page-size Select (rc-select, the virtual list, the popup machinery, ~80 kB unpacked) to the first
 * screen even in its simple mode; a phone pages through with two buttons.
 */
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { thousands } from '../app/format.ts';

export function PhonePager({
  current,
  pageSize,
  total,
  onChange,
  unit = '条',
}: {
  current: number;
  pageSize: number;
  total: number;
  onChange: (page: number) => void;
  unit?: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="phone-pager" aria-label="翻页">
      <Button
        icon={<LeftOutlined />}
        disabled={current <= 1}
        onClick={() => onChange(current - 1)}
        data-testid="pager-prev"
      >
        上一页
      </Button>
      <span className="phone-pager-where">
        <b>{thousands(current)}</b> / {thousands(pages)} 页
        <span className="muted">
          共 {thousands(total)} {unit}
        </span>
      </span>
      <Button disabled={current >= pages} onClick={() => onChange(current + 1)} data-testid="pager-next">
        下一页 <RightOutlined />
      </Button>
    </nav>
  );
}
