/**
 * Organization picker: a TreeSelect that loads children lazily from /api/orgs/root and /children,
 * and switches to a server search (/api/orgs?q=) as soon as something is typed.
 */
import { useQuery } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../app/api.ts';
import { useDebounced } from '../app/hooks.ts';
import { ORG_KIND_LABELS } from '../app/labels.ts';
import { orgKeys, useOrgTree } from '../app/org-tree.ts';
import type { OrgDetail, OrgSummary, Page } from '../app/types.ts';

interface Node {
  value: string;
  label: string;
  title: React.ReactNode;
  isLeaf: boolean;
  disabled?: boolean;
  children?: Node[];
}

export interface OrgSelectProps {
  value?: string | null;
  onChange?: (id: string | undefined, org?: OrgSummary) => void;
  placeholder?: string;
  allowClear?: boolean;
  /** Only these kinds can be chosen (others stay visible to browse through). */
  selectableKinds?: Set<string>;
  /** This org and everything under it cannot be chosen (e.g. moving an org). */
  excludeId?: string;
  style?: React.CSSProperties;
  id?: string;
  disabled?: boolean;
  status?: 'error' | 'warning';
  'data-testid'?: string;
  'aria-label'?: string;
}

function kindText(o: OrgSummary) {
  return ORG_KIND_LABELS[o.kind] ?? o.kind;
}

export function OrgTitle({ org, showKind }: { org: OrgSummary; showKind?: boolean }) {
  return (
    <span className="org-title">
      <span className="org-title-name" title={org.name}>
        {org.name}
      </span>
      {showKind ? <span className="org-title-kind">{kindText(org)}</span> : null}
      <span className="org-title-count" title={`党员 ${org.memberCount} 人（含下级）`}>
        {org.memberCount}
      </span>
    </span>
  );
}

export function OrgSelect(props: OrgSelectProps) {
  const { value, onChange, selectableKinds, excludeId } = props;
  const [open, setOpen] = useState(false);
  const tree = useOrgTree(open || !!value);
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const searchQ = useQuery({
    queryKey: orgKeys.search(q),
    queryFn: ({ signal }) => api.get<Page<OrgSummary>>('/api/orgs', { q, pageSize: 50 }, signal),
    enabled: q.length > 0,
    staleTime: 30_000,
  });
  // The chosen org's name when it is not among the loaded nodes (e.g. it came from the URL).
  const known = value ? (tree.byId.get(value) ?? searchQ.data?.items.find((o) => o.id === value)) : undefined;
  const detailQ = useQuery({
    queryKey: orgKeys.detail(value ?? ''),
    queryFn: () => api.get<OrgDetail>(`/api/orgs/${value}`),
    enabled: !!value && !known,
    staleTime: 60_000,
  });
  const valueName = known?.name ?? detailQ.data?.name;

  const canPick = (o: OrgSummary) => (!selectableKinds || selectableKinds.has(o.kind)) && o.id !== excludeId;

  // biome-ignore lint/correctness/useExhaustiveDependencies: canPick depends only on selectableKinds and excludeId
  const treeData = useMemo(() => {
    const toNode = (o: OrgSummary, underExcluded: boolean): Node => {
      const excluded = underExcluded || o.id === excludeId;
      const kids = tree.childrenOf.get(o.id);
      return {
        value: o.id,
        label: o.name,
        title: <OrgTitle org={o} showKind={!!selectableKinds} />,
        isLeaf: !o.hasChildren,
        disabled: excluded || !canPick(o),
        children: kids ? kids.map((k) => toNode(k, excluded)) : undefined,
      };
    };
    if (q) {
      return (searchQ.data?.items ?? []).map<Node>((o) => ({
        value: o.id,
        label: o.name,
        title: <OrgTitle org={o} showKind />,
        isLeaf: true,
        disabled: !canPick(o),
      }));
    }
    return tree.root ? [toNode(tree.root, false)] : [];
  }, [q, searchQ.data, tree.root, tree.childrenOf, selectableKinds, excludeId]);

  const loading = (q ? searchQ.isFetching : tree.rootLoading) || (!!value && !valueName && detailQ.isLoading);

  return (
    <TreeSelect<{ value: string; label: React.ReactNode } | undefined>
      id={props.id}
      data-testid={props['data-testid']}
      aria-label={props['aria-label']}
      style={{ width: '100%', ...props.style }}
      status={props.status}
      disabled={props.disabled}
      labelInValue
      value={value ? { value, label: valueName ?? '加载中…' } : undefined}
      onChange={(v) => {
        const id = v?.value;
        const org = id ? (tree.byId.get(id) ?? searchQ.data?.items.find((o) => o.id === id)) : undefined;
        setSearch('');
        onChange?.(id, org);
      }}
      treeData={treeData}
      treeNodeLabelProp="label"
      loadData={(node) => tree.ensureLoaded([String(node.value)])}
      treeDefaultExpandedKeys={tree.root ? [tree.root.id] : []}
      showSearch={{ searchValue: search, onSearch: setSearch, filterTreeNode: false, autoClearSearchValue: true }}
      placeholder={props.placeholder ?? '选择党组织（可输入名称或拼音搜索）'}
      allowClear={props.allowClear ?? true}
      loading={loading}
      open={open}
      onOpenChange={setOpen}
      notFoundContent={
        q ? (searchQ.isFetching ? '正在搜索…' : '没有找到匹配的党组织') : tree.rootLoading ? '正在加载…' : '暂无党组织'
      }
      styles={{ popup: { root: { maxHeight: 420 } } }}
      listHeight={360}
    />
  );
}
