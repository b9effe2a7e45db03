/**
 * Defaults of the county's settings that the web app also needs before the server has answered (a page
 * opened with no network checks a photo against them). The server's settings (server/platform/settings.ts)
 * take their defaults from here. Plain constants: the phone's first chunk may import this.
 */

/** files.maxImageMB: a photo's size limit in MB (SEC-21). */
export const DEFAULT_MAX_IMAGE_MB = 20;
