import { pinyin } from 'pinyin-pro';

/** Full pinyin without tones ("zhangsan") and initials ("zs"), surnames read as surnames (单 → shan). */
export function namePinyin(name: string): { full: string; initials: string } {
  const syllables = pinyin(name, {
    toneType: 'none',
    type: 'array',
    surname: 'head',
    nonZh: 'consecutive',
    v: true,
  }) as string[];
  const clean = syllables.map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, '')).filter(Boolean);
  return { full: clean.join(''), initials: clean.map((s) => s[0]).join('') };
}

/** Sort key for Chinese text in pinyin order. */
export function pinyinKey(text: string): string {
  return (pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }) as string[])
    .join(' ')
    .toLowerCase();
}
