/**
 * Which HTTP proxy a connection should use, from the environment, with the same rules as Node-RED's
 * core http request node (@node-red/nodes core/network/lib/proxyHelper.js, "strict" mode):
 *
 * - the proxy for a URL is the first set of npm_config_<scheme>_proxy, <scheme>_proxy,
 *   npm_config_proxy, all_proxy, each read lower case first, then upper case (HTTPS_PROXY,
 *   HTTP_PROXY, ...); a proxy without a scheme gets the URL's scheme;
 * - NO_PROXY (npm_config_no_proxy, no_proxy / NO_PROXY) is a comma- or space-separated list: "*"
 *   bypasses the proxy for everything; an entry bypasses a host equal to it or, when it starts with
 *   "." or "*", a host ending with it; "host:port" entries only for that port (default ports count);
 * - settings.js `proxyOptions` (lowerCaseOnly, favourUpperCase, excludeNpm, env) work as there.
 *
 * WebSocket URLs are looked up as the HTTP request that opens them (ws: as http:, wss: as https:),
 * so HTTP_PROXY / HTTPS_PROXY cover the event stream too.
 */

export interface ProxySettings {
  /** Environment to read instead of process.env. */
  env?: Record<string, string | undefined>;
  /** Read only the lower-case variables. */
  lowerCaseOnly?: boolean;
  /** Read the upper-case variable first. */
  favourUpperCase?: boolean;
  /** Ignore npm_config_* variables. */
  excludeNpm?: boolean;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };
const LOOKUP_SCHEME: Record<string, string> = { http: 'http', https: 'https', ws: 'http', wss: 'https' };

function readEnv(key: string, settings: ProxySettings): string {
  const env = settings.env ?? process.env;
  if (settings.excludeNpm && key.startsWith('npm_config_')) return '';
  const lower = key.toLowerCase();
  const upper = key.toUpperCase();
  if (settings.lowerCaseOnly) return env[lower] || '';
  if (settings.favourUpperCase) return env[upper] || env[lower] || '';
  return env[lower] || env[upper] || '';
}

function bypassed(host: string, port: number, settings: ProxySettings): boolean {
  const noProxy = (readEnv('npm_config_no_proxy', settings) || readEnv('no_proxy', settings)).toLowerCase();
  if (!noProxy) return false;
  if (noProxy === '*') return true;
  return noProxy.split(/[,\s]/).some((entry) => {
    if (!entry) return false;
    const withPort = /^(.+):(\d+)$/.exec(entry);
    let entryHost = withPort?.[1] ?? entry;
    const entryPort = withPort ? Number(withPort[2]) : 0;
    if (entryPort && entryPort !== port) return false;
    if (!/^[.*]/.test(entryHost)) return host === entryHost;
    if (entryHost.startsWith('*')) entryHost = entryHost.slice(1);
    return host.endsWith(entryHost);
  });
}

/** The proxy URL to use for `target`, or '' to connect directly. */
export function proxyForUrl(target: URL, settings: ProxySettings = {}): string {
  const scheme = target.protocol.replace(/:$/, '');
  const lookup = LOOKUP_SCHEME[scheme];
  if (!lookup || !target.host) return '';
  // The host keeps the brackets of an IPv6 address, as in Node-RED's helper.
  const host = target.host.replace(/:\d*$/, '');
  const port = Number(target.port) || DEFAULT_PORTS[scheme] || 0;
  if (bypassed(host, port, settings)) return '';
  let proxy =
    readEnv(`npm_config_${lookup}_proxy`, settings) ||
    readEnv(`${lookup}_proxy`, settings) ||
    readEnv('npm_config_proxy', settings) ||
    readEnv('all_proxy', settings);
  if (proxy && !proxy.includes('://')) proxy = `${lookup}://${proxy}`;
  return proxy;
}
