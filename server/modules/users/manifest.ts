/** 账号管理: sign-in, sessions, second factor, accounts and their dual-control requests (SEC-1…10). */
import decl from '../../../contract/modules/users.ts';
import { defineModule } from '../module.ts';

/** The declaration (contract/modules/users.ts) and what only the server reads. */
export default defineModule({
  ...decl,
  apiPrefixes: ['/api/auth', '/api/users'],
  hasRoutes: true,
  errors: {
    BAD_CREDENTIALS: [401, '用户名或密码错误'],
    TOTP_REQUIRED: [401, '请输入手机验证器中的 6 位动态验证码'],
    BAD_TOTP: [401, '动态验证码不正确或已使用过，请输入验证器中最新的验证码'],
    SELF_SERVICE_ONLY: [403, '自己的密码请在“修改密码”中修改（须输入原密码）'],
    DUAL_CONTROL: [403, '须由申请人和对象账号以外、有审批权限的另一人批准'],
    DUPLICATE_USERNAME: [409, '用户名已存在'],
    LOCKED: [423, '连续登录失败次数过多，账号已锁定，请稍后再试'],
  },
  tables: {
    users: {
      role: 'distributed',
      reason:
        'an account sits on an organization of its county and its scope never leaves it; its login name is unique within the county, and a login names its county',
      parents: ['orgs'],
    },
    account_requests: {
      role: 'distributed',
      reason: 'a dual-control request belongs to one county and is decided there',
      parents: ['users'],
    },
  },
});
