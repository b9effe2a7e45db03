/**
 * The assignment page's dialogs, loaded when first opened: 分解到下级 (organizations below the holder and
 * a deadline no later than its own) and 退回 (with its reason).
 */
import { Alert, Button, DatePicker, Input, Modal, Tree } from 'antd';
import type { DataNode } from 'antd/es/tree';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { ORG_KIND_LABELS } from '../../../../contract/labels.ts';
import { api } from '../../app/api.ts';
import { ErrorAlert } from '../../app/errors.tsx';
import { useFeedback } from '../../app/feedback.tsx';
import { useIsMobile } from '../../app/hooks.ts';
import { fetchChildren } from '../../app/org-tree.ts';
import type { AssignmentDetail, OrgSummary, SplitResult } from '../../app/types.ts';
import { beijingToday } from './shared.tsx';

/** 分解到下级: choose organizations below the holder (each gets its own share) and their deadline. */
export function SplitModal({
  open,
  assignment: a,
  onClose,
  onDone,
}: {
  open: boolean;
  assignment: AssignmentDetail;
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = useFeedback();
  const isMobile = useIsMobile();
  const [children, setChildren] = useState<Map<string, OrgSummary[]>>(new Map());
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [checked, setChecked] = useState<string[]>([]);
  const [deadline, setDeadline] = useState(a.deadline);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const taken = useMemo(() => new Set(a.childAssignments.map((c) => c.orgId)), [a.childAssignments]);
  const today = beijingToday();

  const load = async (id: string) => {
    try {
      const list = await fetchChildren(id);
      setChildren((m) => new Map(m).set(id, list));
      setLoadErr(null);
    } catch (e) {
      setLoadErr(e);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the holder's children load once per opening
  useEffect(() => {
    if (open && !children.has(a.orgId)) void load(a.orgId);
  }, [open, a.orgId]);

  const treeData = useMemo(() => {
    const toNode = (o: OrgSummary): DataNode => {
      const kids = children.get(o.id);
      return {
        key: o.id,
        title: (
          <span>
            {o.name} <span className="muted">{ORG_KIND_LABELS[o.kind] ?? ''}</span>
            {taken.has(o.id) ? <span className="muted">（已分解）</span> : null}
          </span>
        ),
        isLeaf: !o.hasChildren,
        disableCheckbox: taken.has(o.id) || o.status !== 'active',
        children: kids?.map(toNode),
      };
    };
    return (children.get(a.orgId) ?? []).map(toNode);
  }, [children, a.orgId, taken]);

  const direct = (children.get(a.orgId) ?? []).filter((o) => !taken.has(o.id) && o.status === 'active');
  // A split's deadline is no earlier than today and no later than this share's: none is left once it has passed.
  const expired = a.deadline < today;

  const send = async () => {
    setErr(null);
    if (!checked.length) return setErr(new Error('请至少选择一个下级组织'));
    if (!deadline) return setErr(new Error('请选择完成时限'));
    setBusy(true);
    try {
      const res = await api.post<SplitResult>(`/api/tasks/assignments/${a.id}/split`, { orgIds: checked, deadline });
      message.success(`已分解给 ${res.assignments.length} 个组织`);
      setChecked([]);
      onDone();
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title="分解到下级"
      width={isMobile ? '100%' : 600}
      style={isMobile ? { top: 8, maxWidth: 'calc(100vw - 16px)' } : undefined}
      destroyOnHidden
      footer={[
        <Button key="cancel" size="large" onClick={onClose}>
          取消
        </Button>,
        <Button
          key="ok"
          size="large"
          type="primary"
          loading={busy}
          disabled={expired}
          onClick={() => void send()}
          data-testid="split-send"
        >
          分解下发{checked.length ? `（${checked.length} 个）` : ''}
        </Button>,
      ]}
    >
      <div className="muted" style={{ marginBottom: 8 }}>
        选中的每个组织各承办一份，签收办理后向本组织（{a.orgName}）汇报；全部验收后本组织才能提交完成情况。
      </div>
      <ErrorAlert err={err} style={{ marginBottom: 8 }} />
      {expired ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          title={`本级的完成时限（${a.deadline}）已过，不能再分解下发。`}
          description={`分解的完成时限不能早于今天，也不能晚于本级的完成时限；如需延期，请与${a.issuerOrgName}联系。`}
        />
      ) : null}
      <div className="task-split-field">
        <span className="mr-label">完成时限（不晚于本级的 {a.deadline}）</span>
        <DatePicker
          value={deadline ? dayjs(deadline) : null}
          onChange={(d) => setDeadline(d ? d.format('YYYY-MM-DD') : '')}
          disabledDate={(d) => {
            const s = d.format('YYYY-MM-DD');
            return s < today || s > a.deadline;
          }}
          allowClear={false}
          inputReadOnly={isMobile}
          style={{ width: '100%' }}
          aria-label="完成时限"
          data-testid="split-deadline"
        />
      </div>
      <div className="task-split-head">
        <span className="mr-label" style={{ margin: 0 }}>
          下级组织{checked.length ? `：已选 ${checked.length} 个` : ''}
        </span>
        {direct.length ? (
          <Button
            type="link"
            size="small"
            onClick={() => setChecked([...new Set([...checked, ...direct.map((o) => o.id)])])}
          >
            选中全部直属下级（{direct.length}）
          </Button>
        ) : null}
        {checked.length ? (
          <Button type="link" size="small" onClick={() => setChecked([])}>
            清空
          </Button>
        ) : null}
      </div>
      {loadErr ? <ErrorAlert err={loadErr} /> : null}
      {!children.has(a.orgId) && !loadErr ? <div className="muted">正在加载下级组织…</div> : null}
      {children.has(a.orgId) && !treeData.length ? (
        <Alert type="warning" showIcon title={`${a.orgName}没有下级组织，不能分解。`} />
      ) : null}
      {treeData.length ? (
        <div className="task-split-tree" data-testid="split-tree">
          <Tree
            checkable
            checkStrictly
            selectable={false}
            treeData={treeData}
            checkedKeys={checked}
            onCheck={(keys) => setChecked((Array.isArray(keys) ? keys : keys.checked).map(String))}
            loadData={(node) => load(String(node.key))}
          />
        </div>
      ) : null}
    </Modal>
  );
}

/** 退回: the issuer sends a submitted share back, with what is to be done (required). */
export function ReturnModal({
  open,
  assignment: a,
  onClose,
  onDone,
}: {
  open: boolean;
  assignment: AssignmentDetail;
  onClose: () => void;
  onDone: (fresh: AssignmentDetail) => void;
}) {
  const { message } = useFeedback();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const send = async () => {
    setErr(null);
    if (!reason.trim()) return setErr(new Error('请填写退回原因'));
    setBusy(true);
    try {
      const fresh = await api.post<AssignmentDetail>(`/api/tasks/assignments/${a.id}/return`, {
        reason: reason.trim(),
      });
      message.success(`已退回${a.orgName}`);
      setReason('');
      onDone(fresh);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={`退回${a.orgName}的完成情况`}
      footer={[
        <Button key="cancel" size="large" onClick={onClose}>
          取消
        </Button>,
        <Button
          key="ok"
          size="large"
          danger
          type="primary"
          loading={busy}
          onClick={() => void send()}
          data-testid="return-send"
        >
          退回
        </Button>,
      ]}
    >
      <ErrorAlert err={err} style={{ marginBottom: 8 }} />
      <Input.TextArea
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        autoSize={{ minRows: 4, maxRows: 10 }}
        maxLength={500}
        showCount
        placeholder="写明需要补充或整改的内容，承办组织将看到这段话"
        aria-label="退回原因"
        data-testid="return-reason"
      />
    </Modal>
  );
}
