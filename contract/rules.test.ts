import { describe, expect, it } from 'vitest';
import { RULES, ruleInfo, ruleLabel } from './rules.ts';

describe('rule names', () => {
  it('names every rule the organization and member checks cite in Chinese', () => {
    for (const id of ['ORG-1', 'ORG-2', 'ORG-4', 'ORG-5', 'ORG-6', 'NAT-2']) {
      expect(ruleInfo(id).name).toMatch(/^[\u4e00-\u9fa5“”（）、]+$/);
      expect(ruleInfo(id).text.length).toBeGreaterThan(5);
    }
    expect(ruleInfo('ORG-4').name).toBe('按期换届');
    expect(ruleInfo('ORG-5').name).toBe('班子职务空缺');
    expect(ruleLabel('ORG-4')).toBe('按期换届（ORG-4）');
  });

  it('covers every rule id of rules.md; an unknown id shows as it is', () => {
    // rules.md's ids, and the county's own rules, which no regulation numbers: on its lists (issue 19)
    // and on the first secretaries' periodic reports (FS-4, issue 20).
    expect(Object.keys(RULES)).toHaveLength(9 + 10 + 6 + 5 + 1 + 3 + 2 + 4 + 3 + 1);
    for (const id of ['TASK-1', 'DOC-1', 'RECT-1', 'FS-4']) expect(ruleInfo(id).name, id).toMatch(/[\u4e00-\u9fff]/);
    expect(ruleInfo('FS-3').name).toBe('“五个一”');
    expect(ruleInfo('WEAK-3').name).toBe('软弱涣散');
    expect(ruleInfo('XYZ-1')).toEqual({ id: 'XYZ-1', name: 'XYZ-1', text: '' });
  });
});
