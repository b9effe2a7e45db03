/**
 * What the code-lists module offers other modules (issue 17 §1: a module's public face): a code list
 * as SQL for joins and exports, and the check of coded values in a write. Nothing else of this folder
 * is imported from outside it.
 */
export { type CodedValue, codeIssues, codeListSql } from './service.ts';
