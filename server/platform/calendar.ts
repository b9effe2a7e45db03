/** The Asia/Shanghai calendar lives in contract/calendar.ts (the web app reads it too); re-exported for the server's code. */
export * from '../../contract/calendar.ts';
