/**
 * Keeps the user info of URLs (user:password@) out of every text a user or a log can see. It works
 * on raw text as well as on parsed URLs, because the URLs that fail to parse (an invalid port, say)
 * are exactly the ones that end up quoted in error messages.
 */

/** "scheme://" or "//", then user info up to the last "@" of the authority. */
const USER_INFO = /((?:[a-z][a-z0-9+.-]*:)?\/\/)[^\s/?#"'<>]*@/gi;

/** Free text (e.g. a library's error message) with every URL's user info replaced by "***@". */
export function redactUserInfo(text: string): string {
  return text.replace(USER_INFO, '$1***@');
}

/**
 * One URL as typed, for a message: scheme, host and path when it parses; otherwise the raw text with
 * everything between "//" and its last "@" hidden (a password may itself hold "/" or "@").
 */
export function displayUrl(raw: string): string {
  const text = raw.trim();
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    const at = text.lastIndexOf('@');
    if (at < 0) return text;
    const slashes = text.indexOf('//');
    return slashes >= 0 && slashes < at ? `${text.slice(0, slashes + 2)}***${text.slice(at)}` : `***${text.slice(at)}`;
  }
}
