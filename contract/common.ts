import { z } from 'zod';

/**
 * Zod speaks Chinese, for the server and the web app alike (both import this module): our own
 * wording for the issues users meet, zod's zh-CN locale for the rest. Messages read after a field
 * name, as in `每页条数：不能大于 200`. Explicit messages on a schema still win.
 */
const zhCN = z.locales.zhCN().localeError;
const TYPE_NAMES: Record<string, string> = { string: '文本', number: '数字', int: '整数', boolean: '是或否', object: '对象', array: '列表', date: '日期', bigint: '整数' };
const FORMAT_NAMES: Record<string, string> = { uuid: '编号', email: '电子邮箱', url: '网址', date: '日期', datetime: '日期时间', time: '时间' };
z.config({
  localeError: (issue) => {
    switch (issue.code) {
      case 'invalid_type':
        if (issue.input === undefined) return '必填';
        return `应为${TYPE_NAMES[issue.expected] ?? '正确的格式'}`;
      case 'too_big': {
        const max = String(issue.maximum);
        if (issue.origin === 'string') return `不能超过 ${max} 个字`;
        if (issue.origin === 'array' || issue.origin === 'set') return `最多 ${max} 项`;
        if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return issue.inclusive === false ? `应小于 ${max}` : `不能大于 ${max}`;
        break;
      }
      case 'too_small': {
        const min = String(issue.minimum);
        if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? '不能为空' : `至少 ${min} 个字`;
        if (issue.origin === 'array' || issue.origin === 'set') return `至少 ${min} 项`;
        if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return issue.inclusive === false ? `应大于 ${min}` : `不能小于 ${min}`;
        break;
      }
      case 'invalid_format':
        return `${FORMAT_NAMES[issue.format] ?? ''}格式不正确`;
      case 'invalid_value':
        return issue.values.length === 1 ? `应为 ${String(issue.values[0])}` : '不是可选的值';
      case 'unrecognized_keys':
        return `不允许的字段：${issue.keys.join('、')}`;
      case 'not_multiple_of':
      case 'invalid_union':
      case 'invalid_key':
      case 'invalid_element':
        return '格式不正确';
    }
    return zhCN(issue);
  },
});

/** Dates travel as 'YYYY-MM-DD'. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const uuidStr = z.uuid('编号格式不正确');
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}
export const okBody = z.object({ ok: z.literal(true) });

export const ORG_KINDS = ['committee', 'workingCommittee', 'generalBranch', 'branch', 'jointBranch', 'temporaryBranch', 'partyGroup'] as const;
export const ORG_KIND_LABELS: Record<(typeof ORG_KINDS)[number], string> = {
  committee: '党委',
  workingCommittee: '党工委',
  generalBranch: '党总支',
  branch: '党支部',
  jointBranch: '联合党支部',
  temporaryBranch: '临时党支部',
  partyGroup: '党小组',
};
export const FIELDS = ['rural', 'community', 'organ', 'institution', 'nonPublicEnterprise', 'socialOrganization', 'soe', 'school'] as const;
export const FIELD_LABELS: Record<(typeof FIELDS)[number], string> = {
  rural: '农村',
  community: '社区',
  organ: '机关',
  institution: '事业单位',
  nonPublicEnterprise: '非公企业',
  socialOrganization: '社会组织',
  soe: '国有企业',
  school: '学校',
};
export const POSTS = ['secretary', 'deputySecretary', 'organizationMember', 'propagandaMember', 'disciplineMember', 'member'] as const;
export const POST_LABELS: Record<(typeof POSTS)[number], string> = {
  secretary: '书记',
  deputySecretary: '副书记',
  organizationMember: '组织委员',
  propagandaMember: '宣传委员',
  disciplineMember: '纪检委员',
  member: '委员',
};
export const STANDINGS = ['probationary', 'full'] as const;
export const STANDING_LABELS = { probationary: '预备党员', full: '正式党员' } as const;
export const UNIT_SITUATIONS: Record<string, string> = { sameAsParent: '与上级党组织所在单位相同', legalPerson: '法人单位', joint: '联合党支部（多个单位）' };

/** Which kinds of organization may be set up under which. */
export const CHILD_KINDS: Record<string, string[]> = {
  committee: ['committee', 'workingCommittee', 'generalBranch', 'branch', 'jointBranch', 'temporaryBranch'],
  workingCommittee: ['committee', 'generalBranch', 'branch', 'jointBranch', 'temporaryBranch'],
  generalBranch: ['branch', 'jointBranch', 'temporaryBranch'],
  branch: ['partyGroup'],
  jointBranch: ['partyGroup'],
  temporaryBranch: ['partyGroup'],
  partyGroup: [],
};

/** Kinds of organization a member can be placed in (MEM-2: a branch or a Party group). */
export const MEMBER_ORG_KINDS: Set<string> = new Set(['branch', 'jointBranch', 'temporaryBranch', 'generalBranch', 'partyGroup']);
