/**
 * 责任链条: who answered for an organization's Party building on a day — 第一、直接、相关、具体责任人, each
 * read from a post as it was then (书记, 副书记, 组织委员, the secretaries of the organizations directly
 * below) or named by the committee (经调整) —, the levels nobody held (空缺), and the committee's
 * adjustments with the days they were in force. Those who issue tasks name someone else from a day on,
 * or go back to the posts (ResponsibilityOverrideModal, loaded when opened).
 */
import { EditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Empty, Skeleton } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { lazy, Suspense, useState } from 'react';
import { POST_LABELS, RESPONSIBILITY_LEVEL_LABELS, RESPONSIBILITY_LEVELS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { useCan, useMe } from '../../app/auth.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { dateText, thousands } from '../../app/format.ts';
import { useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { useListParams } from '../../app/list-params.ts';
import type { ResponsibilityChain, ResponsibilityOverride, ResponsibilityPerson } from '../../app/types.ts';
import { LazyOrgSelect } from '../../components/LazyOrgSelect.tsx';
import { Table } from '../../components/LazyTable.tsx';
import { ListFilters } from '../../components/ListFilters.tsx';
import { beijingToday, Mark } from './shared.tsx';

const ResponsibilityOverrideModal = lazy(() => import('./ResponsibilityOverrideModal.tsx'));

/** How many 具体责任人 a phone lists before 显示全部. */
const CONCRETE_ON_PHONE = 10;

/** Where a person was read from: the post (书记…), or the committee's adjustment with its reason. */
function fromText(p: ResponsibilityPerson): string {
  if (p.post === null) return `经调整：${p.reason ?? ''}`;
  return POST_LABELS[p.post as keyof typeof POST_LABELS] ?? '按职务确定';
}

/** 2026-01-05 至 2026-03-31, or 2026-01-05 起 while in force. */
function spanText(o: Pick<ResponsibilityOverride, 'from' | 'to'>): string {
  return o.to ? `${dateText(o.from)} 至 ${dateText(o.to)}` : `${dateText(o.from)} 起`;
}

function overridePerson(o: ResponsibilityOverride) {
  return o.personName ?? <span className="muted">恢复按职务确定</span>;
}

export default function ResponsibilityPage() {
  useDocumentTitle('责任链条');
  const isMobile = useIsMobile();
  const can = useCan();
  const me = useMe().data;
  const list = useListParams(['orgId', 'date']);
  const today = beijingToday();
  const asked = list.get('orgId') || undefined;
  const date = list.get('date') || undefined;
  const [editing, setEditing] = useState(false);
  const [opened, setOpened] = useState(false);
  const [allConcrete, setAllConcrete] = useState(false);
  const chain = useQuery({
    queryKey: ['responsibility', asked ?? '', date ?? ''],
    queryFn: ({ signal }) => api.get<ResponsibilityChain>('/api/responsibility', { orgId: asked, date }, signal),
  });
  const c = chain.data;
  const orgId = c?.orgId ?? asked ?? me?.orgId;
  const shownDate = c?.date ?? date ?? today;

  const overrideColumns: ColumnsType<ResponsibilityOverride> = [
    { title: '层级', key: 'level', width: 120, render: (_, o) => RESPONSIBILITY_LEVEL_LABELS[o.level] },
    { title: '责任人', key: 'person', width: 160, render: (_, o) => overridePerson(o) },
    { title: '调整原因', dataIndex: 'reason', ellipsis: true },
    { title: '起止日期', key: 'span', width: 240, render: (_, o) => spanText(o) },
    { title: '调整人', dataIndex: 'setByName', width: 120, ellipsis: true },
  ];

  return (
    <div className="responsibility-page">
      <div className="page-head">
        <h1>责任链条</h1>
        <div className="page-actions">
          {can('lists.issue') && c ? (
            <Button
              type="primary"
              icon={<EditOutlined />}
              onClick={() => {
                setOpened(true);
                setEditing(true);
              }}
              data-testid="responsibility-override"
            >
              调整责任人
            </Button>
          ) : null}
        </div>
      </div>
      <ListFilters onClear={list.active ? list.clear : undefined}>
        <LazyOrgSelect
          style={{ width: isMobile ? '100%' : 320 }}
          value={orgId}
          onChange={(id) => list.set({ orgId: id && id !== me?.orgId ? id : null })}
          allowClear={false}
          placeholder="选择党组织"
          aria-label="党组织"
          data-testid="responsibility-org"
        />
        <DatePicker
          style={{ width: isMobile ? '100%' : 250 }}
          value={dayjs(shownDate)}
          onChange={(d) => {
            const v = d ? d.format('YYYY-MM-DD') : null;
            list.set({ date: v && v !== today ? v : null });
          }}
          allowClear={false}
          inputReadOnly={isMobile}
          format="YYYY年M月D日"
          prefix={<span className="muted">责任人日期</span>}
          aria-label="日期"
          data-testid="responsibility-date"
        />
      </ListFilters>
      <ErrorAlert err={chain.error} style={{ marginBottom: 12 }} />
      {chain.isLoading ? <Skeleton active /> : null}
      {c ? (
        <>
          <div className="section-title" style={{ marginTop: 0 }}>
            {c.orgName}
            <span className="section-note">{c.date === today ? '今天' : dateText(c.date)}的党建责任人</span>
          </div>
          <div className="resp-levels" data-testid="responsibility-chain">
            {RESPONSIBILITY_LEVELS.map((level) => {
              const people = c.people.filter((p) => p.level === level);
              const concrete = level === 'concrete';
              // A committee has dozens of organizations below it: a phone shows the first ones until asked.
              const shown = concrete && isMobile && !allConcrete ? people.slice(0, CONCRETE_ON_PHONE) : people;
              return (
                <Card
                  key={level}
                  size="small"
                  className={concrete ? 'resp-level resp-level-concrete' : 'resp-level'}
                  data-testid={`responsibility-${level}`}
                >
                  <div className="resp-level-head">
                    <b>{RESPONSIBILITY_LEVEL_LABELS[level]}</b>
                    {concrete ? (
                      <span className="muted">
                        直属下级组织书记{people.length ? `，${thousands(people.length)} 人` : ''}
                      </span>
                    ) : null}
                  </div>
                  {c.vacant.includes(level) || !people.length ? (
                    <div className="resp-person">
                      <Mark color="red">空缺</Mark>
                    </div>
                  ) : (
                    <div className={concrete ? 'resp-people-grid' : undefined}>
                      {shown.map((p) => (
                        <div key={`${p.orgId}-${p.personName}`} className="resp-person">
                          <span className="resp-name">{p.personName}</span>
                          {p.post === null ? (
                            <Mark color="gold">{fromText(p)}</Mark>
                          ) : (
                            <span className="resp-post">{fromText(p)}</span>
                          )}
                          {concrete || p.orgId !== c.orgId ? <span className="resp-org">{p.orgName}</span> : null}
                          {p.since ? <span className="muted resp-since">{dateText(p.since)} 起</span> : null}
                        </div>
                      ))}
                    </div>
                  )}
                  {shown.length < people.length ? (
                    <Button type="link" onClick={() => setAllConcrete(true)} style={{ paddingInline: 0 }}>
                      显示全部 {thousands(people.length)} 人
                    </Button>
                  ) : null}
                </Card>
              );
            })}
          </div>

          <div className="section-title">
            调整记录<span className="section-note">党组织指定责任人或恢复按职务确定，最新在前</span>
          </div>
          {c.overrides.length === 0 ? (
            <Card size="small">
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有调整记录，各层级均按职务确定" />
            </Card>
          ) : isMobile ? (
            <div className="list-cards" data-testid="responsibility-overrides">
              {c.overrides.map((o) => (
                <div key={o.id} className="list-card">
                  <div className="mc-top">
                    <b style={{ flex: 1, minWidth: 0 }}>{RESPONSIBILITY_LEVEL_LABELS[o.level]}</b>
                    <span>{overridePerson(o)}</span>
                  </div>
                  <div className="mc-line">{o.reason}</div>
                  <div className="mc-line">
                    {spanText(o)} · {o.setByName}调整
                  </div>
                </div>
              ))}
            </div>
          ) : (
            <Card size="small" styles={{ body: { padding: 0 } }}>
              <div data-testid="responsibility-overrides">
                <Table<ResponsibilityOverride>
                  rowKey="id"
                  size="middle"
                  columns={overrideColumns}
                  dataSource={c.overrides}
                  pagination={c.overrides.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                />
              </div>
            </Card>
          )}
        </>
      ) : null}
      <Suspense fallback={null}>
        {opened && c ? (
          <ResponsibilityOverrideModal
            open={editing}
            onClose={() => setEditing(false)}
            orgId={c.orgId}
            orgName={c.orgName}
            onDone={(from) => list.set({ date: from === today ? null : from })}
          />
        ) : null}
      </Suspense>
    </div>
  );
}
