/** The assignments of a task as the tree they were split into (TaskDetailPage). */

/**
 * Assignments in tree order, each with its depth below the nearest ancestor the reader sees (one whose
 * parent is out of the reader's scope starts a tree of its own). Siblings keep the order they came in.
 */
export function treeOrder<T extends { id: string; parentId: string | null }>(list: T[]): { item: T; depth: number }[] {
  const ids = new Set(list.map((a) => a.id));
  const kids = new Map<string | null, T[]>();
  for (const a of list) {
    const p = a.parentId && ids.has(a.parentId) ? a.parentId : null;
    const k = kids.get(p);
    if (k) k.push(a);
    else kids.set(p, [a]);
  }
  const out: { item: T; depth: number }[] = [];
  const walk = (p: string | null, depth: number) => {
    for (const a of kids.get(p) ?? []) {
      out.push({ item: a, depth });
      walk(a.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}
