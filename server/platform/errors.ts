/** Stable error codes with their Chinese messages (engineering habit 8, SEC-24). */
export const ERRORS = {
  VALIDATION: [400, '提交的数据有误'],
  BAD_REQUEST: [400, '请求有误'],
  BAD_URL: [400, '请求地址格式不正确，请检查链接是否完整'],
  INVALID_JSON: [400, '提交的内容不是有效的 JSON 格式'],
  EMPTY_BODY: [400, '请求内容为空'],
  UNAUTHENTICATED: [401, '请先登录'],
  BAD_CREDENTIALS: [401, '用户名或密码错误'],
  PASSWORD_CHANGE_REQUIRED: [403, '请先修改初始密码'],
  TOTP_SETUP_REQUIRED: [403, '按安全要求，管理员账号须先开启两步验证'],
  TOTP_REQUIRED: [401, '请输入手机验证器中的 6 位动态验证码'],
  BAD_TOTP: [401, '动态验证码不正确或已使用过，请输入验证器中最新的验证码'],
  FORBIDDEN: [403, '没有权限执行此操作'],
  SELF_SERVICE_ONLY: [403, '自己的密码请在“修改密码”中修改（须输入原密码）'],
  DUAL_CONTROL: [403, '须由申请人和对象账号以外、有审批权限的另一人批准'],
  CSRF: [403, '请求来源不受信任，请刷新页面后重试'],
  NOT_FOUND: [404, '对象不存在或不在您的管辖范围内'],
  CONFLICT: [409, '数据已被修改或已存在'],
  DUPLICATE_ID_NUMBER: [409, '该身份证号码已登记为党员'],
  DUPLICATE_USERNAME: [409, '用户名已存在'],
  LOCKED: [423, '连续登录失败次数过多，账号已锁定，请稍后再试'],
  REQUEST_TIMEOUT: [408, '请求超时，请检查网络后重试'],
  PAYLOAD_TOO_LARGE: [413, '上传的文件过大'],
  BODY_TOO_LARGE: [413, '提交的内容过大'],
  UPLOAD_TOO_LARGE_INFLATED: [413, '文件解压后的内容超出限制，已拒绝，未写入任何数据'],
  IMPORT_TOO_MANY_ROWS: [413, '单次最多导入 20,000 行，请拆分文件后分批导入，未写入任何数据'],
  UNSUPPORTED_FILE: [415, '文件类型不支持，请上传 .xlsx 格式的 Excel 文件'],
  UNSUPPORTED_MEDIA_TYPE: [415, '不支持该请求内容类型'],
  HEADERS_TOO_LARGE: [431, '请求头过大，请清除浏览器 Cookie 后重试'],
  RATE_LIMITED: [429, '操作过于频繁，请稍后再试'],
  IMPORT_INVALID: [422, '导入文件有错误，未写入任何数据'],
  RULE_VIOLATION: [422, '不符合业务规则'],
  DATA_INTEGRITY: [500, '数据完整性校验失败：该记录中的加密信息与所在记录不符，可能被改动，已记入审计日志，请联系管理员并提供请求编号'],
  INTERNAL: [500, '系统内部错误，请联系管理员并提供请求编号'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERRORS;

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
