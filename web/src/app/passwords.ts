/** The password rules as the server states them (SEC-2), for live hints. */
export function passwordChecks(pw: string) {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((r) => r.test(pw)).length;
  return [
    { ok: pw.length >= 8, text: '至少 8 位' },
    { ok: classes >= 3, text: '包含大写字母、小写字母、数字、符号中的至少 3 类' },
  ];
}
