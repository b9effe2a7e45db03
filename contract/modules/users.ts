/** 账号管理: sign-in, sessions, second factor, accounts and their dual-control requests (SEC-1…10). */
import { declareModule } from '../module.ts';

export default declareModule({
  name: 'users',
  title: '账号管理',
  permissions: {
    // Default profile: administrators manage the accounts of their subtree; level3 gives that to the security administrator alone.
    'users.read': {
      label: '查看账号',
      roles: { default: ['countyAdmin', 'orgAdmin', 'securityAdmin'], level3: ['securityAdmin'] },
    },
    'users.manage': {
      label: '开通、修改、停用账号，重置密码',
      roles: { default: ['countyAdmin', 'orgAdmin', 'securityAdmin'], level3: ['securityAdmin'] },
    },
    // level3 dual control: the second person who approves a request touching a privileged account.
    'users.approve': {
      label: '审批账号变更（双人控制）',
      roles: { default: [], level3: ['countyAdmin', 'securityAdmin'] },
    },
  },
  auditActions: {
    'auth.login': '登录',
    'auth.logout': '退出',
    'auth.totp.setup': '生成两步验证密钥',
    'auth.totp.enable': '开启两步验证',
    'auth.totp.disable': '关闭两步验证',
    'user.create': '新建账号',
    'user.bulkCreate': '批量开通账号',
    'user.update': '修改账号',
    'user.roles': '调整角色',
    'user.disable': '停用/启用账号',
    'user.password.change': '修改密码',
    'user.password.reset': '重置密码',
    'user.totp.reset': '重置两步验证',
    'user.request': '提交账号变更审批',
    'user.request.approve': '批准账号变更',
    'user.request.reject': '驳回账号变更',
  },
  menu: [{ path: '/users', label: '账号管理', icon: 'userSwitch', perm: ['users.read', 'users.approve'], order: 40 }],
  pages: [{ path: 'users', page: 'UsersPage', perm: ['users.read', 'users.approve'] }],
});
