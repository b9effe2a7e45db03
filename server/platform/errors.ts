/**
 * Stable error codes with their Chinese messages (engineering habit 8, SEC-24): the platform's own
 * here, each module's in its manifest (`errors`), collected into one table.
 */
import type { ErrorsOf } from '../modules/module.ts';
import { MODULES } from '../modules/registry.ts';

export const PLATFORM_ERRORS = {
  VALIDATION: [400, '提交的数据有误'],
  BAD_REQUEST: [400, '请求有误'],
  BAD_URL: [400, '请求地址格式不正确，请检查链接是否完整'],
  INVALID_JSON: [400, '提交的内容不是有效的 JSON 格式'],
  EMPTY_BODY: [400, '请求内容为空'],
  UNAUTHENTICATED: [401, '请先登录'],
  PASSWORD_CHANGE_REQUIRED: [403, '请先修改初始密码'],
  TOTP_SETUP_REQUIRED: [403, '按安全要求，管理员账号须先开启两步验证'],
  FORBIDDEN: [403, '没有权限执行此操作'],
  CSRF: [403, '请求来源不受信任，请刷新页面后重试'],
  NOT_FOUND: [404, '对象不存在或不在您的管辖范围内'],
  CONFLICT: [409, '数据已被修改或已存在'],
  REQUEST_TIMEOUT: [408, '请求超时，请检查网络后重试'],
  PAYLOAD_TOO_LARGE: [413, '上传的文件过大'],
  BODY_TOO_LARGE: [413, '提交的内容过大'],
  UPLOAD_TOO_LARGE_INFLATED: [413, '文件解压后的内容超出限制，已拒绝，未写入任何数据'],
  UNSUPPORTED_FILE: [415, '文件类型不支持，请上传 .xlsx 格式的 Excel 文件'],
  UNSUPPORTED_MEDIA_TYPE: [415, '不支持该请求内容类型'],
  HEADERS_TOO_LARGE: [431, '请求头过大，请清除浏览器 Cookie 后重试'],
  RATE_LIMITED: [429, '操作过于频繁，请稍后再试'],
  /** The image queue (platform/image-queue.ts) is full: the server is busy, not the user at fault. */
  IMAGE_QUEUE_FULL: [503, '服务器正在处理较多照片，本次上传未保存，请稍等片刻后重新上传'],
  RULE_VIOLATION: [422, '不符合业务规则'],
  DATA_INTEGRITY: [
    500,
    '数据完整性校验失败：该记录中的加密信息与所在记录不符，可能被改动，已记入审计日志，请联系管理员并提供请求编号',
  ],
  INTERNAL: [500, '系统内部错误，请联系管理员并提供请求编号'],
} as const satisfies Record<string, readonly [number, string]>;

type ErrorTable = typeof PLATFORM_ERRORS & ErrorsOf<typeof MODULES>;
export const ERRORS: ErrorTable = Object.assign(
  {},
  PLATFORM_ERRORS,
  ...MODULES.map((m) => ('errors' in m ? m.errors : {})),
);

export type ErrorCode = keyof ErrorTable;

export interface FieldIssue {
  field: string;
  message: string;
}

/** An error a user should see: a stable code, a Chinese message, optional field issues. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERRORS[code][1]);
    this.code = code;
    this.status = ERRORS[code][0];
    this.details = details;
  }
}

/** Shorthand for a validation failure on named fields. */
export function fieldError(issues: FieldIssue[]): AppError {
  return new AppError('VALIDATION', issues.map((i) => i.message).join('；'), { fields: issues });
}
