/** Pick a member by name, pinyin initials or the last 4 ID digits (GET /api/members?q=). */
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { api } from '../app/api.ts';
import { useDebounced } from '../app/hooks.ts';
import { STANDING_LABELS } from '../app/labels.ts';
import type { MemberView, Page } from '../app/types.ts';

export function MemberSelect(props: {
  value?: string;
  onChange?: (id: string | undefined, m?: MemberView) => void;
  orgId?: string;
  placeholder?: string;
  id?: string;
}) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const list = useQuery({
    queryKey: ['members', 'pick', props.orgId ?? '', q],
    queryFn: ({ signal }) =>
      api.get<Page<MemberView>>(
        '/api/members',
        { orgId: props.orgId, subtree: 'true', q: q || undefined, pageSize: 20 },
        signal,
      ),
    staleTime: 30_000,
  });
  const items = list.data?.items ?? [];
  return (
    <Select
      id={props.id}
      value={props.value}
      onChange={(v: string | undefined) =>
        props.onChange?.(
          v,
          items.find((m) => m.id === v),
        )
      }
      allowClear
      showSearch={{ filterOption: false, searchValue: search, onSearch: setSearch }}
      loading={list.isFetching}
      placeholder={props.placeholder ?? '输入姓名、拼音首字母或身份证后 4 位'}
      notFoundContent={list.isFetching ? '正在搜索…' : '没有找到党员'}
      options={items.map((m) => ({
        value: m.id,
        label: (
          <span>
            {m.name}
            <span className="muted" style={{ marginLeft: 8, fontSize: 12 }}>
              {STANDING_LABELS[m.standing]} · {m.age} 岁 · {m.orgName}
            </span>
          </span>
        ),
      }))}
      style={{ width: '100%' }}
    />
  );
}
