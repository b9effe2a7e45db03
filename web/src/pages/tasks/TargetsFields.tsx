/**
 * "下发对象" of a task or a document: the organization below which it goes, the kinds of organization
 * and the fields (领域) — one block for both forms, as both requests take the same `targets`
 * (contract/lists.ts taskTargets).
 */
import { Col, Form, Row, Select } from 'antd';
import { FIELD_LABELS, FIELDS, ORG_KIND_LABELS, ORG_KINDS } from '../../../../contract/labels.ts';

type OrgKind = (typeof ORG_KINDS)[number];
import { OrgSelect } from '../../components/OrgSelect.tsx';

/** The kinds a scope sends to by default: the county's root its 党委 (the townships), any other organization its 党支部. */
export function defaultTargetKinds(org: { parentId: string | null } | undefined): OrgKind[] {
  return org && org.parentId === null ? ['committee'] : ['branch'];
}

export function TargetsFields({
  what,
  testId,
  onScopeChange,
}: {
  /** 任务 or 文件, in the scope's help text. */
  what: string;
  /** Prefix of the fields' data-testid (task, directive). */
  testId: string;
  /** A new scope was chosen (the form then brings that scope's default kinds unless the user chose some). */
  onScopeChange: (org: { parentId: string | null } | undefined) => void;
}) {
  return (
    <>
      <div className="section-title">下发对象</div>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            name="underOrgId"
            label="下发范围"
            rules={[{ required: true, message: '请选择下发范围' }]}
            extra={`${what}下发给该组织以下（不含该组织本身）所选类别的每个组织`}
          >
            <OrgSelect
              allowClear={false}
              onChange={(_, org) => onScopeChange(org)}
              aria-label="下发范围"
              data-testid={`${testId}-under-org`}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="orgKinds"
            label="组织类别"
            rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一种组织类别' }]}
          >
            <Select
              mode="multiple"
              options={ORG_KINDS.map((k) => ({ value: k, label: ORG_KIND_LABELS[k] }))}
              placeholder="选择组织类别"
              showSearch={false}
              data-testid={`${testId}-org-kinds`}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="fields" label="领域" extra="不选则不限领域">
            <Select
              mode="multiple"
              allowClear
              options={FIELDS.map((f) => ({ value: f, label: FIELD_LABELS[f] }))}
              placeholder="全部领域"
              showSearch={false}
              data-testid={`${testId}-fields`}
            />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}
