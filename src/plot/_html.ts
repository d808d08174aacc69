/**
 * Small helpers for the self-contained HTML pages the project writes.
 * @module
 */

/** Base64 of bytes, for `data:` URLs and inline data. */
export function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/** `s` with the characters HTML gives meaning to escaped. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
