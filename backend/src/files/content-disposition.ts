/**
 * `Content-Disposition` for a file name (RFC 6266): a plain ASCII `filename` for old clients, with
 * anything else replaced by `_`, and the exact name as UTF-8 in `filename*` (RFC 8187). The name is
 * cleaned first (`cleanFileName`: no control characters, so no CR/LF); quotes, backslashes and
 * percent signs never reach the quoted fallback, and the percent-encoded form has no `'`, so
 * neither can end its parameter early.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeExtValue(name)}`;
}

function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
