/**
 * The member list's "更多条件" panel (领域, 党员类别, 性别, 学历, 民族, 失联, 年龄, 入党年份), in a chunk of its own:
 * its Select and InputNumber are not needed before the list is on a phone's screen.
 */
import { InputNumber, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { type CodeListName, useCodeLists } from '../../app/codes.ts';
import { useDebounced } from '../../app/hooks.ts';
import { FIELD_LABELS, FIELDS, SEX_LABELS, STANDING_LABELS } from '../../app/labels.ts';

function num(v: string | null): number | null {
  if (v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** A number box that applies its value 600 ms after typing stops (not on every digit). */
function NumberFilter(props: {
  label: string;
  min: number;
  max: number;
  placeholder: string;
  value: number | null;
  onCommit: (v: number | null) => void;
}) {
  const [v, setV] = useState<number | null>(props.value);
  const d = useDebounced(v, 600);
  useEffect(() => setV(props.value), [props.value]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: commits only when the debounced value settles
  useEffect(() => {
    if (d !== props.value) props.onCommit(d);
  }, [d]);
  return (
    <InputNumber
      aria-label={props.label}
      min={props.min}
      max={props.max}
      placeholder={props.placeholder}
      style={{ width: '50%' }}
      value={v}
      onChange={(x) => setV(typeof x === 'number' ? x : null)}
    />
  );
}

/** The choice filters: query key, element id, label, what "none chosen" says, and the choices. */
const CHOICES: {
  key: string;
  id: string;
  label: string;
  placeholder: string;
  options: { value: string; label: string }[];
}[] = [
  {
    key: 'field',
    id: 'f-field',
    label: '领域',
    placeholder: '全部领域',
    options: FIELDS.map((f) => ({ value: f, label: FIELD_LABELS[f] })),
  },
  {
    key: 'standing',
    id: 'f-standing',
    label: '党员类别',
    placeholder: '全部',
    options: (['full', 'probationary'] as const).map((v) => ({ value: v, label: STANDING_LABELS[v] })),
  },
  {
    key: 'sex',
    id: 'f-sex',
    label: '性别',
    placeholder: '全部',
    options: (['1', '2'] as const).map((v) => ({ value: v, label: SEX_LABELS[v] })),
  },
  {
    key: 'lostContact',
    id: 'f-lost',
    label: '失联党员',
    placeholder: '全部',
    options: [
      { value: 'true', label: '仅失联党员' },
      { value: 'false', label: '排除失联党员' },
    ],
  },
];

export default function MoreFilters({
  params,
  update,
}: {
  params: URLSearchParams;
  update: (
    patch: Record<string, string | number | null | undefined>,
    opts?: { replace?: boolean; keepPage?: boolean },
  ) => void;
}) {
  const get = (k: string) => params.get(k) ?? '';
  const codes = useCodeLists();
  // 学历 and 民族 from the county's code lists (searchable: the ethnicity list is long).
  const coded: { key: CodeListName; id: string; label: string; placeholder: string }[] = [
    { key: 'education', id: 'f-education', label: '学历', placeholder: '全部学历' },
    { key: 'ethnicity', id: 'f-ethnicity', label: '民族', placeholder: '全部民族' },
  ];
  return (
    <div className="filter-more">
      {coded.map((c) => (
        <div key={c.key}>
          <label className="filter-label" htmlFor={c.id}>
            {c.label}
          </label>
          <Select
            id={c.id}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={c.placeholder}
            style={{ width: '100%' }}
            value={get(c.key) || undefined}
            onChange={(v) => update({ [c.key]: v })}
            options={codes.options(c.key)}
            data-testid={`member-filter-${c.key}`}
          />
        </div>
      ))}
      {CHOICES.map((c) => (
        <div key={c.key}>
          <label className="filter-label" htmlFor={c.id}>
            {c.label}
          </label>
          <Select
            id={c.id}
            allowClear
            placeholder={c.placeholder}
            style={{ width: '100%' }}
            value={get(c.key) || undefined}
            onChange={(v) => update({ [c.key]: v })}
            options={c.options}
          />
        </div>
      ))}
      <div>
        <span className="filter-label">年龄（周岁）</span>
        <Space.Compact block>
          <NumberFilter
            label="最小年龄"
            min={0}
            max={150}
            placeholder="最小"
            value={num(params.get('ageMin'))}
            onCommit={(v) => update({ ageMin: v }, { replace: true })}
          />
          <NumberFilter
            label="最大年龄"
            min={0}
            max={150}
            placeholder="最大"
            value={num(params.get('ageMax'))}
            onCommit={(v) => update({ ageMax: v }, { replace: true })}
          />
        </Space.Compact>
      </div>
      <div>
        <span className="filter-label">入党年份</span>
        <Space.Compact block>
          <NumberFilter
            label="入党年份起"
            min={1921}
            max={2100}
            placeholder="起"
            value={num(params.get('joinYearMin'))}
            onCommit={(v) => update({ joinYearMin: v }, { replace: true })}
          />
          <NumberFilter
            label="入党年份止"
            min={1921}
            max={2100}
            placeholder="止"
            value={num(params.get('joinYearMax'))}
            onCommit={(v) => update({ joinYearMax: v }, { replace: true })}
          />
        </Space.Compact>
      </div>
    </div>
  );
}
