/** A check's warning: the rule's Chinese name as a tag (its id in small grey print, the rule text on hover), then the message. */
import { Alert, Tag, Tooltip } from 'antd';
import { ruleInfo } from '../app/labels.ts';
import type { OrgWarning } from '../app/types.ts';

/** A check's warning on an organization or a member (contract/orgs.ts orgWarning). */
export type Warning = OrgWarning;

export function RuleTag({ rule }: { rule: string }) {
  const r = ruleInfo(rule);
  return (
    <Tooltip title={r.text ? `${r.name}：${r.text}（规则 ${r.id}）` : `规则 ${r.id}`}>
      <Tag className="rule-tag" data-rule={r.id}>
        {r.name}
        {r.name !== r.id ? <span className="rule-id">{r.id}</span> : null}
      </Tag>
    </Tooltip>
  );
}

export function RuleWarnings({ warnings, testId }: { warnings: Warning[]; testId?: string }) {
  if (!warnings.length) return null;
  return (
    <div className="rule-warnings" data-testid={testId}>
      {warnings.map((w) => (
        <Alert
          key={`${w.rule}-${w.message}`}
          type={w.level === 'warning' ? 'warning' : 'info'}
          showIcon
          title={
            <span>
              <RuleTag rule={w.rule} />
              {w.message}
            </span>
          }
        />
      ))}
    </div>
  );
}
