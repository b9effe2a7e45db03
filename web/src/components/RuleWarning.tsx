/**
 * A check's warning: the rule's Chinese name as a tag (the rule text and its id on hover), then the message.
 * The id (LIFE-2) is not printed beside the name on cards and forms: it helps only on the problems pages, which cite it.
 */
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
