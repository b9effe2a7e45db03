import { z } from 'zod';

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
