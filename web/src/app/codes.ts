/**
 * Code lists (民族 GB/T 3304, 学历 GB/T 4658, 人员类别, 入党方式) from GET /api/code-lists: a county
 * may edit them, so forms and labels follow the server. Unknown codes show as they are.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from './api.ts';

export type CodeListName = 'ethnicity' | 'education' | 'personCategory' | 'joinMethod';
/** GET /api/code-lists: declared in its route only (server/modules/codes/routes.ts codeListsBody), not in contract/. */
type Lists = Record<string, { code: string; label: string }[]>;

export interface CodeLists {
  options(list: CodeListName): { value: string; label: string }[];
  label(list: CodeListName, code: string | null | undefined): string | null;
}

export function useCodeLists(): CodeLists {
  const q = useQuery({
    queryKey: ['code-lists'],
    queryFn: () => api.get<{ lists: Lists }>('/api/code-lists'),
    staleTime: 3_600_000,
  });
  const lists = q.data?.lists ?? {};
  return {
    options: (list) => (lists[list] ?? []).map((c) => ({ value: c.code, label: c.label })),
    label: (list, code) => (code ? (lists[list]?.find((c) => c.code === code)?.label ?? code) : null),
  };
}
