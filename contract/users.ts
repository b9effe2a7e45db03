import { z } from 'zod';
import { pageQuery, uuidStr } from './common.ts';
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
  totpCode: z.string().trim().max(10).optional().describe('6-digit code from the authenticator app, when two-step verification is on'),
});
export const totpEnrolment = z.object({ secret: z.string(), otpauthUrl: z.string(), qrDataUrl: z.string() });
export const totpCodeBody = z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, '验证码为 6 位数字') });
export const totpDisableBody = z.strictObject({ password: z.string().min(1).max(256) });
export const changePasswordBody = z.strictObject({ oldPassword: z.string().max(256), newPassword: z.string().max(256) });

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
  username: z.string().trim().regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名为 3–32 位字母、数字、下划线、点或连字符'),
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
});
export const auditQuery = z.object({
  username: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  result: z.enum(['ok', 'denied', 'failed']).optional(),
  from: z.string().max(30).optional(),
  to: z.string().max(30).optional(),
  ...pageQuery,
});
