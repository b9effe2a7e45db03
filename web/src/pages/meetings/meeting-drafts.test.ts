import { describe, expect, it } from 'vitest';
import { captureField } from './meeting-drafts.ts';

describe('the capture time sent with a photo (issue 18 §2)', () => {
  const now = Date.parse('2026-12-06T07:37:00+08:00');
  it('goes as the capturedAt field when the photo had one and it is not later than now', () => {
    expect(captureField('2026-12-06T07:20:00+08:00', now)).toEqual({ capturedAt: '2026-12-06T07:20:00+08:00' });
    expect(captureField(undefined, now)).toEqual({});
    // A phone clock that was wrong: left out rather than have the server refuse the photo.
    expect(captureField('2026-12-07T07:20:00+08:00', now)).toEqual({});
    expect(captureField('not a time', now)).toEqual({});
  });
});
