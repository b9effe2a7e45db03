import { ApartmentOutlined, SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { AutoComplete, Button, Card, Drawer, Empty, Input, Skeleton, Tree } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useDebounced, useDocumentTitle, useIsMobile } from '../../app/hooks.ts';
import { orgKeys, useOrgTree } from '../../app/org-tree.ts';
import type { OrgDetail, OrgSummary, Page } from '../../app/types.ts';
import { OrgTitle } from '../../components/OrgSelect.tsx';
import { OrgCard } from './OrgCard.tsx';

interface TreeNode {
  key: string;
  title: React.ReactNode;
  isLeaf: boolean;
  children?: TreeNode[];
}

function OrgSearch({ onPick }: { onPick: (id: string) => void }) {
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const res = useQuery({
    queryKey: orgKeys.search(q),
    queryFn: ({ signal }) => api.get<Page<OrgSummary>>('/api/orgs', { q, pageSize: 30 }, signal),
    enabled: q.length > 0,
    staleTime: 30_000,
  });
  const options = (res.data?.items ?? []).map((o) => ({ value: o.id, label: <OrgTitle org={o} showKind /> }));
  return (
    <AutoComplete
      value={text}
      options={options}
      onChange={(v: string) => setText(v)}
      onSelect={(id: string) => {
        setText('');
        onPick(id);
      }}
      showSearch={{ filterOption: false }}
      style={{ width: '100%' }}
      notFoundContent={q ? (res.isFetching ? '正在搜索…' : '没有找到匹配的党组织') : null}
    >
      <Input
        allowClear
        prefix={<SearchOutlined />}
        placeholder="搜索组织名称或拼音"
        aria-label="搜索党组织"
        data-testid="org-search"
      />
    </AutoComplete>
  );
}

const TREE_WIDTH_KEY = 'dangjian.orgTreeWidth';
const TREE_WIDTH = { min: 280, default: 400, max: 720 };
const clampWidth = (w: number) => Math.round(Math.min(TREE_WIDTH.max, Math.max(TREE_WIDTH.min, w)));

/** The desktop tree column's width: dragged (or arrow keys) on its right edge, kept on this browser. */
function useTreeWidth(): [number, (w: number) => void] {
  const [width, setWidth] = useState(() => {
    const saved = Number(typeof localStorage === 'undefined' ? NaN : localStorage.getItem(TREE_WIDTH_KEY));
    return Number.isFinite(saved) && saved > 0 ? clampWidth(saved) : TREE_WIDTH.default;
  });
  const set = (w: number) => {
    const c = clampWidth(w);
    setWidth(c);
    try {
      localStorage.setItem(TREE_WIDTH_KEY, String(c));
    } catch {
      // private mode: the width lasts for this page only
    }
  };
  return [width, set];
}

function TreeResizer({ width, onChange }: { width: number; onChange: (w: number) => void }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable vertical splitter (WAI-ARIA window splitter), not a horizontal rule
    <div
      className="orgs-tree-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="拖动调整组织树宽度"
      aria-valuemin={TREE_WIDTH.min}
      aria-valuemax={TREE_WIDTH.max}
      aria-valuenow={width}
      tabIndex={0}
      title="拖动调整宽度，双击恢复默认"
      onPointerDown={(e) => {
        e.preventDefault();
        const startX = e.clientX;
        const start = width;
        const move = (ev: PointerEvent) => onChange(start + ev.clientX - startX);
        const up = () => {
          window.removeEventListener('pointermove', move);
          window.removeEventListener('pointerup', up);
          document.body.classList.remove('resizing-col');
        };
        document.body.classList.add('resizing-col');
        window.addEventListener('pointermove', move);
        window.addEventListener('pointerup', up);
      }}
      onDoubleClick={() => onChange(TREE_WIDTH.default)}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft') onChange(width - 20);
        if (e.key === 'ArrowRight') onChange(width + 20);
      }}
    />
  );
}

export default function OrgsPage() {
  const { id: paramId } = useParams();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const tree = useOrgTree();
  const [expanded, setExpanded] = useState<string[]>([]);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [treeWidth, setTreeWidth] = useTreeWidth();
  const selectedId = paramId ?? tree.root?.id;

  const detail = useQuery({
    queryKey: orgKeys.detail(selectedId ?? ''),
    queryFn: () => api.get<OrgDetail>(`/api/orgs/${selectedId}`),
    enabled: !!selectedId,
  });
  useDocumentTitle(detail.data?.name ?? '组织架构');

  // Open the tree down to the selected org (e.g. after a search jump or a deep link).
  const pathKey = detail.data?.path.map((p) => p.id).join('/');
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the selected org path changes (pathKey)
  useEffect(() => {
    if (!detail.data) return;
    const ancestors = detail.data.path.map((p) => p.id).filter((i) => i !== detail.data?.id);
    if (!ancestors.length) return;
    void tree.ensureLoaded(ancestors).catch(() => undefined);
    setExpanded((cur) => [...new Set([...cur, ...ancestors])]);
  }, [pathKey]);
  useEffect(() => {
    if (tree.root) setExpanded((cur) => (cur.includes(tree.root?.id ?? '') ? cur : [...cur, tree.root?.id ?? '']));
  }, [tree.root]);

  const treeData = useMemo(() => {
    const toNode = (o: OrgSummary): TreeNode => {
      const kids = tree.childrenOf.get(o.id);
      return { key: o.id, title: <OrgTitle org={o} />, isLeaf: !o.hasChildren, children: kids?.map(toNode) };
    };
    return tree.root ? [toNode(tree.root)] : [];
  }, [tree.root, tree.childrenOf]);

  // Keep the selected node in sight inside the tree's scroll box.
  const scrollRef = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when the selection or the loaded nodes change
  useEffect(() => {
    const t = setTimeout(() => {
      const el = scrollRef.current?.querySelector('.ant-tree-treenode-selected');
      if (el && scrollRef.current) {
        const box = scrollRef.current.getBoundingClientRect();
        const r = el.getBoundingClientRect();
        if (r.top < box.top || r.bottom > box.bottom) scrollRef.current.scrollTop += r.top - box.top - box.height / 3;
      }
    }, 450); // after the expand animation
    return () => clearTimeout(t);
  }, [selectedId, treeData]);

  const pick = (id: string) => {
    navigate(`/orgs/${id}`);
    setDrawerOpen(false);
  };

  const treePanel = (
    <>
      <OrgSearch onPick={pick} />
      <div className="orgs-tree-scroll" style={{ marginTop: 10 }} ref={scrollRef}>
        {tree.rootLoading ? (
          <Skeleton active paragraph={{ rows: 8 }} title={false} />
        ) : tree.rootError ? (
          <ErrorAlert err={tree.rootError} />
        ) : (
          <Tree<TreeNode>
            data-testid="org-tree"
            blockNode
            showLine={{ showLeafIcon: false }}
            treeData={treeData}
            expandedKeys={expanded}
            onExpand={(keys) => setExpanded(keys.map(String))}
            selectedKeys={selectedId ? [selectedId] : []}
            onSelect={(keys) => {
              if (keys[0]) pick(String(keys[0]));
            }}
            loadData={(node) => tree.ensureLoaded([String(node.key)])}
          />
        )}
      </div>
    </>
  );

  return (
    <div>
      <div className="page-head">
        <h1>组织架构</h1>
        {isMobile ? (
          <Button icon={<ApartmentOutlined />} onClick={() => setDrawerOpen(true)} data-testid="org-tree-open">
            选择组织
          </Button>
        ) : null}
      </div>
      <div className="orgs-grid" style={{ '--org-tree-w': `${treeWidth}px` } as React.CSSProperties}>
        {isMobile ? (
          <Drawer
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            placement="left"
            size="88%"
            title="选择党组织"
            forceRender
            rootClassName="orgs-tree-drawer"
          >
            {treePanel}
          </Drawer>
        ) : (
          <Card className="orgs-tree-card" size="small">
            {treePanel}
            <TreeResizer width={treeWidth} onChange={setTreeWidth} />
          </Card>
        )}
        <div style={{ minWidth: 0 }}>
          {!selectedId && tree.rootLoading ? (
            <Card>
              <Skeleton active />
            </Card>
          ) : detail.isLoading ? (
            <Card data-testid="org-card">
              <Skeleton active paragraph={{ rows: 10 }} />
            </Card>
          ) : detail.error ? (
            <Card>
              <ErrorAlert err={detail.error} />
            </Card>
          ) : detail.data ? (
            <OrgCard
              org={detail.data}
              parentKind={detail.data.parentId ? tree.byId.get(detail.data.parentId)?.kind : undefined}
              onShowOrg={(id) => (id ? navigate(`/orgs/${id}`) : navigate('/orgs'))}
            />
          ) : (
            <Card>
              <Empty description="请在左侧选择党组织" />
            </Card>
          )}
        </div>
      </div>
    </div>
  );
}
