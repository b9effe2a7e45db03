/** Control characters refused in user input (SEC-19): PostgreSQL text cannot hold NUL, and the rest break logs and exports. */

/** Any C0 control or DEL: for query strings and path parameters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const CONTROL_CHARS = /[\u0000-\u001F\u007F]/;

/** C0 controls and DEL except tab, line feed and carriage return: for text that may be multi-line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const CONTROL_CHARS_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** `CONTROL_CHARS_IN_TEXT` for replacing every occurrence. */
export const CONTROL_CHARS_IN_TEXT_G = new RegExp(CONTROL_CHARS_IN_TEXT.source, 'g');
