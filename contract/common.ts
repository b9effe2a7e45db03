import { z } from 'zod';

/**
 * Zod speaks Chinese, for the server and the web app alike (both import this module): our own
 * wording for the issues users meet, zod's zh-CN locale for the rest. Messages read after a field
 * name, as in `每页条数：不能大于 200`. Explicit messages on a schema still win.
 */
const zhCN = z.locales.zhCN().localeError;
const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '是或否',
  object: '对象',
  array: '列表',
  date: '日期',
  bigint: '整数',
};
const FORMAT_NAMES: Record<string, string> = {
  uuid: '编号',
  email: '电子邮箱',
  url: '网址',
  date: '日期',
  datetime: '日期时间',
  time: '时间',
};
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
        if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
          return issue.inclusive === false ? `应小于 ${max}` : `不能大于 ${max}`;
        break;
      }
      case 'too_small': {
        const min = String(issue.minimum);
        if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? '不能为空' : `至少 ${min} 个字`;
        if (issue.origin === 'array' || issue.origin === 'set') return `至少 ${min} 项`;
        if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
          return issue.inclusive === false ? `应大于 ${min}` : `不能小于 ${min}`;
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
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
export const okBody = z.object({ ok: z.literal(true) });

export {
  ORG_KINDS,
  ORG_KIND_LABELS,
  FIELDS,
  FIELD_LABELS,
  POSTS,
  POST_LABELS,
  STANDINGS,
  STANDING_LABELS,
  UNIT_SITUATIONS,
  CHILD_KINDS,
  MEMBER_ORG_KINDS,
} from './labels.ts';
