/**
 * What the app shows when it is opened without a network (the shell kept by web/service-worker.js): the
 * records of the last signed-in account still waiting on this device, and that they go up by themselves
 * when the network is back (the shell tries at start and on `online`).
 */
import { CloudUploadOutlined, DisconnectOutlined } from '@ant-design/icons';
import { Button, Card } from 'antd';
import { useEffect, useState } from 'react';
import { shanghaiMinute } from '../../../contract/calendar.ts';
import { lastUserId } from '../app/auth.ts';
import { OFFLINE_KINDS } from '../app/offline-kinds.ts';
import { OFFLINE_MESSAGE, type OfflineItem, offline } from '../app/offline.ts';

function savedText(ms: number): string {
  const d = shanghaiMinute(new Date(ms));
  return `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日 ${d.slice(11, 16)}`;
}

export default function OfflineHome({ retrying, onRetry }: { retrying: boolean; onRetry: () => void }) {
  const userId = lastUserId();
  const [items, setItems] = useState<OfflineItem[]>(() => (userId ? offline.list(null, userId) : []));
  useEffect(() => {
    if (!userId) return;
    return offline.on(() => setItems(offline.list(null, userId)));
  }, [userId]);
  // Back online: the session check again (the shell then sends what waits).
  useEffect(() => {
    window.addEventListener('online', onRetry);
    return () => window.removeEventListener('online', onRetry);
  }, [onRetry]);
  return (
    <div className="offline-home" data-testid="offline-home">
      <h1>
        <DisconnectOutlined /> {navigator.onLine ? '暂时连不上平台' : '当前没有网络'}
      </h1>
      <p className="muted">党建工作平台已在本机打开。网络恢复后，本机保存的记录会自动上传。</p>
      <Card
        size="small"
        className="offline-drafts"
        title={
          <span>
            <CloudUploadOutlined /> 待上传（{items.length}）
          </span>
        }
        data-testid="offline-waiting"
      >
        {items.length ? (
          <>
            <div className="muted" style={{ marginBottom: 8, fontSize: 13 }}>
              {OFFLINE_MESSAGE}
            </div>
            {items.map((i) => (
              <div key={i.clientId} className="list-card" data-testid="offline-item">
                <div className="mc-top">
                  <b>{OFFLINE_KINDS[i.kind]?.label ?? '记录'}</b>
                  <span className="muted">{i.state === 'pending' ? '等待网络' : '未保存'}</span>
                </div>
                <div className="mc-line">{OFFLINE_KINDS[i.kind]?.describe?.(i.payload) || '（未填写）'}</div>
                <div className="mc-line">保存于 {savedText(i.savedAt)}</div>
              </div>
            ))}
          </>
        ) : (
          <div className="muted">本机没有等待上传的记录。</div>
        )}
      </Card>
      <Button
        type="primary"
        block
        loading={retrying}
        onClick={onRetry}
        style={{ marginTop: 16 }}
        data-testid="offline-retry"
      >
        重新连接
      </Button>
    </div>
  );
}
