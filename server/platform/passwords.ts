/** Password hashing (argon2id, SEC-6) and the password rules (SEC-2). */
import { hash, verify } from '@node-rs/argon2';
import type { Tx } from '../db/index.ts';
import { fieldError } from './errors.ts';
import { getSetting } from './settings.ts';

const COMMON = new Set([
  'password', 'password1', 'password123', '12345678', '123456789', '1234567890', '11111111', '88888888', '66666666',
  'qwerty123', 'qwertyuiop', 'abc12345', 'abcd1234', 'a1234567', 'admin123', 'admin@123', 'Admin@123', 'Aa123456',
  'Passw0rd', 'P@ssw0rd', 'P@ssword1', 'iloveyou', '1qaz2wsx', '1q2w3e4r', 'zaq12wsx', 'woaini1314', 'Aa123456!',
  'Qwer1234', 'Abc@1234', 'Abc123456', 'Admin12345', 'Welcome1', 'Dangjian123', 'dangjian123',
].map((s) => s.toLowerCase()));

export async function hashPassword(pw: string): Promise<string> {
  return hash(pw, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(stored: string, pw: string): Promise<boolean> {
  try {
    return await verify(stored, pw);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so both answers take alike time (SEC-3). */
export const DUMMY_HASH = await hashPassword('dummy-password-for-timing');

export async function checkPasswordRules(db: Tx, pw: string, username?: string, field = 'password'): Promise<void> {
  const min = await getSetting(db, 'security.passwordMinLength');
  const classesNeeded = await getSetting(db, 'security.passwordClasses');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((r) => r.test(pw)).length;
  const problems: string[] = [];
  if (pw.length < min) problems.push(`密码至少 ${min} 位`);
  if (pw.length > 128) problems.push('密码不能超过 128 位');
  if (classes < classesNeeded) problems.push(`密码需包含大写字母、小写字母、数字、符号中的至少 ${classesNeeded} 类`);
  if (COMMON.has(pw.toLowerCase())) problems.push('密码过于常见，请换一个');
  if (username && pw.toLowerCase().includes(username.toLowerCase())) problems.push('密码不能包含用户名');
  if (problems.length) throw fieldError([{ field, message: `${field === 'newPassword' ? '新密码' : '密码'}：${problems.join('；')}` }]);
}
