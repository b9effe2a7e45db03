/** Time-based one-time passwords (SEC-5) with otplib: RFC 6238, 6 digits, 30 s, one step of clock drift. */
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

const PERIOD = 30;

export function newTotpSecret(): string {
  return generateSecret();
}

export async function totpEnrolment(
  secret: string,
  username: string,
): Promise<{ secret: string; otpauthUrl: string; qrDataUrl: string }> {
  const otpauthUrl = generateURI({ issuer: '党建平台', label: username, secret });
  return { secret, otpauthUrl, qrDataUrl: await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 220 }) };
}

/** The 30-second step the code belongs to, or null when it matches none near `now`. */
export async function totpStep(secret: string, code: string, now: Date): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(now.getTime() / 1000);
  const r = await verify({ secret, token: code, epoch, epochTolerance: PERIOD });
  return r.valid ? Math.floor(epoch / PERIOD) + r.delta : null;
}
