// Where the app is served from, as the browser sees it, and whether a request came from there.
// Behind a TLS proxy the request reaches Next as plain http on an inner address: the proxy's
// X-Forwarded-Host/-Proto (or AUTH_URL, when set) say what the browser used.

type RequestLike = { url: string; headers: Headers };

/** The first value of a header a chain of proxies may have written as a list. */
function firstValue(headers: Headers, name: string): string | null {
  return headers.get(name)?.split(",")[0]?.trim() || null;
}

function originOf(url: string): string | null {
  try {
    const { origin } = new URL(url);
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}

/** The origin the browser addressed: the forwarded (or Host) host with the forwarded (or actual) scheme. */
function requestOrigin(request: RequestLike): string | null {
  const host = firstValue(request.headers, "x-forwarded-host") ?? request.headers.get("host");
  if (!host) return originOf(request.url);
  const proto = firstValue(request.headers, "x-forwarded-proto") ?? new URL(request.url).protocol.replace(/:$/, "");
  return originOf(`${proto}://${host}`);
}

/** Every origin this app answers as: AUTH_URL's when it is set, and the one this request addressed. */
export function appOrigins(request: RequestLike, authUrl = process.env.AUTH_URL): string[] {
  const origins = [authUrl ? originOf(authUrl) : null, requestOrigin(request)];
  return [...new Set(origins.filter((origin): origin is string => origin !== null))];
}

/** Whether the browser reached us over https (directly, through a TLS proxy, or by AUTH_URL). */
export function servedOverHttps(request: RequestLike, authUrl = process.env.AUTH_URL): boolean {
  if (authUrl?.startsWith("https:")) return true;
  return requestOrigin(request)?.startsWith("https:") ?? false;
}

/**
 * Why a state-changing request must be refused as cross-site, or null when it may proceed.
 * Browsers send Origin on every cross-origin POST/PUT/PATCH/DELETE and Sec-Fetch-Site on every
 * request, so a forged request riding on a victim's cookie always shows one of them. A request
 * with neither comes from a script or the CLI, which holds no victim's cookie.
 */
export function crossSiteRefusal(request: RequestLike, authUrl = process.env.AUTH_URL): string | null {
  if (request.headers.get("sec-fetch-site") === "cross-site") return "the browser marked it cross-site";
  const origin = request.headers.get("origin");
  if (origin === null) return null;
  const normalized = originOf(origin);
  if (normalized === null) return `its Origin (${origin}) is not a site`;
  return appOrigins(request, authUrl).includes(normalized) ? null : `it came from ${normalized}`;
}
