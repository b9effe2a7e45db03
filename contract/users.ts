import { z } from 'zod';
import { isoDate, pageQuery, uuidStr } from './common.ts';
import { ROLE_CODES } from './labels.ts';

export { ROLE_CODES, ROLE_LABELS } from './labels.ts';
export const roleCode = z.enum(ROLE_CODES);

export const me = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  orgId: z.string(),
  orgName: z.string(),
  permissions: z.array(z.string()),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  /** The security profile requires a second factor for this account (it cannot be switched off). */
  totpRequired: z.boolean(),
  mustSetupTotp: z.boolean(),
  profile: z.enum(['default', 'level3']),
});

export const loginBody = z.strictObject({
  username: z.string().trim().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(256),
  totpCode: z
    .string()
    .trim()
    .max(10)
    .optional()
    .describe('6-digit code from the authenticator app, when two-step verification is on'),
  county: z
    .string()
    .regex(/^\d{6}$/, '所在县为 6 位行政区划代码')
    .optional()
    .describe(
      "the account's county (6-digit division code): each county's login names are its own; without it, the installation's own county",
    ),
});
/** The counties an installation serves, for the login page's choice (shown only when there are several). */
export const loginCounties = z.array(z.object({ code: z.string(), name: z.string() }));
export const totpEnrolment = z.object({ secret: z.string(), otpauthUrl: z.string(), qrDataUrl: z.string() });
export const totpCodeBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '验证码为 6 位数字'),
});
export const totpDisableBody = z.strictObject({ password: z.string().min(1).max(256) });
/** Re-authentication before enrolment (SEC-33): the password, or, when a second factor is on, its current code. */
export const totpSetupBody = z.strictObject({
  password: z.string().min(1, '请输入登录密码').max(256).optional(),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '验证码为 6 位数字')
    .optional()
    .describe('current code of the authenticator already enrolled'),
});
export const changePasswordBody = z.strictObject({
  oldPassword: z.string().max(256),
  newPassword: z.string().max(256),
});

export const userView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  orgId: z.string(),
  orgName: z.string(),
  disabled: z.boolean(),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});

export const userCreate = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名为 3–32 位字母、数字、下划线、点或连字符'),
  displayName: z.string().trim().min(1, '请填写姓名').max(30),
  password: z.string().max(256),
  roles: z.array(roleCode).min(1, '至少选择一个角色').max(3),
  orgId: uuidStr,
});
export const userPatch = z.strictObject({
  displayName: z.string().trim().min(1).max(30).optional(),
  roles: z.array(roleCode).min(1).max(3).optional(),
  orgId: uuidStr.optional(),
  disabled: z.boolean().optional(),
  password: z.string().max(256).optional().describe('reset: the user must change it at next login'),
  unlock: z.boolean().optional(),
  resetTotp: z.boolean().optional().describe('clear two-step verification (a lost phone); the user enrols again'),
});
export const userListQuery = z.object({ q: z.string().trim().max(50).optional(), ...pageQuery });

/** level3 dual control (SEC-10): a change to a privileged account waiting for a second person. */
export const accountRequestView = z.object({
  id: z.string(),
  kind: z.enum(['create', 'update']),
  targetId: z.string().nullable(),
  targetUsername: z.string().nullable(),
  /** What will happen: for a creation username, displayName, roles, orgId; for an update the changed fields, resetPassword, resetTotp. Never a password. */
  summary: z.record(z.string(), z.unknown()),
  requestedBy: z.string(),
  requestedAt: z.string(),
  expiresAt: z.string(),
  status: z.enum(['pending', 'approved', 'rejected', 'expired']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
/** Answer 202: the change waits for approval. */
export const pendingRequest = z.object({ pending: z.literal(true), request: accountRequestView });
export const requestDecision = z.object({
  request: accountRequestView,
  /** Shown once to the approver only, for a new account or a reset password; the owner must change it at first login. */
  oneTimePassword: z.string().nullable(),
});

export const auditView = z.object({
  seq: z.number(),
  at: z.string(),
  username: z.string().nullable(),
  roles: z.string().nullable(),
  orgId: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  result: z.string(),
  requestId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  /** Read as an auditor reads: the account's name and organization and the object's name as they were, one sentence. */
  actorName: z.string().nullable(),
  actorOrgName: z.string().nullable(),
  objectName: z.string().nullable(),
  summary: z.string(),
});
/** A real calendar day as YYYY-MM-DD (SEC-19: `from=garbage` or `2026-13-45` never reaches the database). */
const calendarDate = isoDate.refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, '不是有效的日期');
export const auditQuery = z.object({
  username: z.string().trim().max(64).optional(),
  person: z.string().trim().max(30).optional().describe('account name or display name (contains)'),
  orgId: uuidStr.optional().describe('entries by accounts of this organization and below'),
  action: z.string().trim().max(64).optional(),
  result: z.enum(['ok', 'denied', 'failed']).optional(),
  from: calendarDate.optional().describe('first day, YYYY-MM-DD'),
  to: calendarDate.optional().describe('last day (inclusive), YYYY-MM-DD'),
  ...pageQuery,
});

/** Rolling out accounts: one per organization of the role's kinds in a subtree (ordinary roles only). */
export const bulkCreateBody = z.strictObject({
  orgId: uuidStr.describe('the subtree to roll out in'),
  role: z
    .enum(['branchSecretary', 'orgAdmin'])
    .describe('branchSecretary: every branch; orgAdmin: every committee, working committee and general branch'),
  dryRun: z.boolean().optional().describe('only list what would be created (no passwords)'),
});
export const bulkCreateResult = z.object({
  accounts: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      displayName: z.string(),
      username: z.string(),
      password: z.string().optional(),
    }),
  ),
  skipped: z.array(z.object({ orgName: z.string(), reason: z.string() })),
  loginUrl: z.string().optional().describe("the platform's sign-in address, printed on the sheet"),
  sheet: z.string().optional().describe('base64 .xlsx of usernames and one-time passwords: shown once, never stored'),
});

export const auditExportQuery = auditQuery
  .omit({ page: true, pageSize: true })
  .extend({ reason: z.string().trim().min(2, '请说明导出用途').max(200) });
