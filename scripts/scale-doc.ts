/**
 * docs/SCALE.md's table of tables, written from the declarations (each module's manifest `tables`
 * and the platform's in server/db/table-roles.ts): `node --import tsx scripts/scale-doc.ts` rewrites
 * the part between the markers; server/test/scale.catalog.test.ts fails when the file differs from
 * what this would write. Nobody keeps the list by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TABLE_ROLES } from '../server/db/table-roles.ts';

export const SCALE_DOC = path.resolve(import.meta.dirname, '../docs/SCALE.md');
const BEGIN = '<!-- tables: written by scripts/scale-doc.ts from the manifests; do not edit by hand -->';
const END = '<!-- /tables -->';
const ORDER = { distributed: 0, reference: 1, local: 2 } as const;

/** The table, one row per declared table: distributed first, then reference, then local, each in declaration order. */
export function tablesSection(): string {
  const rows = Object.entries(TABLE_ROLES)
    .map(([t, d], i) => ({ t, d, i }))
    .sort((a, b) => ORDER[a.d.role] - ORDER[b.d.role] || a.i - b.i)
    .map(
      ({ t, d }) =>
        `| \`${t}\` | ${d.role} | ${d.role === 'distributed' ? '`county_code`' : '—'} | ${d.reason.replace(/\|/g, '\\|')} |`,
    );
  return [BEGIN, '| table | role | distribution column | reason |', '|---|---|---|---|', ...rows, END].join('\n');
}

/** The document with its table section as the declarations say. */
export function scaleDoc(current: string): string {
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/SCALE.md: markers ${BEGIN} … ${END} not found`);
  return current.slice(0, start) + tablesSection() + current.slice(end + END.length);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const doc = fs.readFileSync(SCALE_DOC, 'utf8');
  const next = scaleDoc(doc);
  if (next === doc) console.log('docs/SCALE.md: the table already says what the manifests declare');
  else {
    fs.writeFileSync(SCALE_DOC, next);
    console.log('docs/SCALE.md: table rewritten from the manifests');
  }
}
