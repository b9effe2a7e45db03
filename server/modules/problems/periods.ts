/** The Asia/Shanghai periods live in contract/periods.ts (the web app names periods with it); re-exported for the engine. */
export * from '../../../contract/periods.ts';
