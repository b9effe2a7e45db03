import { describe, expect, it } from 'vitest';
import { treeOrder } from './tree.ts';

const a = (id: string, parentId: string | null) => ({ id, parentId });

describe('treeOrder', () => {
  it('puts each child under its parent, siblings in the order given', () => {
    const out = treeOrder([a('t1', null), a('t2', null), a('v1', 't1'), a('v2', 't2'), a('g1', 'v1'), a('v3', 't1')]);
    expect(out.map((x) => `${x.item.id}:${x.depth}`)).toEqual(['t1:0', 'v1:1', 'g1:2', 'v3:1', 't2:0', 'v2:1']);
  });

  it('starts a tree at an assignment whose parent the reader does not see', () => {
    const out = treeOrder([a('v1', 'hidden'), a('g1', 'v1')]);
    expect(out.map((x) => `${x.item.id}:${x.depth}`)).toEqual(['v1:0', 'g1:1']);
  });
});
