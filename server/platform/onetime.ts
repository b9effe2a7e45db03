/**
 * One-time passwords reach only the person who asked for them (SEC-1, SEC-13): printed when stdout is
 * a terminal; otherwise (stdout redirected to server.log, a service manager's journal, a pipe) they go
 * to a file readable by the platform's OS user only, and only its path is printed.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface OneTimePassword {
  username: string;
  password: string;
}

export const PASSWORD_FILE = 'initial-passwords.txt';

/** Print or file the passwords; returns the file written, if any. */
export function deliverOneTimePasswords(
  list: OneTimePassword[],
  opts: { dataDir: string; what: string; print: (line: string) => void; tty?: boolean },
): string | null {
  if (!list.length) return null;
  const tty = opts.tty ?? process.stdout.isTTY === true;
  if (tty) {
    for (const p of list) opts.print(`  用户名：${p.username}    ${opts.what}：${p.password}`);
    return null;
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const file = path.join(opts.dataDir, PASSWORD_FILE);
  const fd = fs.openSync(file, 'a', 0o600);
  try {
    fs.fchmodSync(fd, 0o600); // an older file keeps its mode on open: tighten it
    const at = new Date().toISOString();
    fs.writeSync(fd, list.map((p) => `${at}\t用户名：${p.username}\t${opts.what}：${p.password}\n`).join(''));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  opts.print(
    `  标准输出不是终端（可能正被写入日志），${opts.what}未打印，已写入 ${file}（仅本机当前系统用户可读）；请查看后删除该文件。`,
  );
  return file;
}
