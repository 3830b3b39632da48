// What the browser is told to enforce on our pages: a Content Security Policy whose scripts
// must carry this request's nonce, and the headers that only make sense over https. Used by
// proxy.ts for every page; API responses get the closed policy set in next.config.js.

/** A fresh, unguessable nonce for one page response (16 random bytes, base64). */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * The page policy. Scripts run only with the nonce (Next puts it on its own scripts and the chunks
 * those load are trusted through 'strict-dynamic'); no inline or injected script without it.
 * Styles keep 'unsafe-inline': React and Radix position popovers and toasts with inline `style`
 * attributes, which a nonce cannot cover, and CSS cannot run script.
 */
export function pageContentSecurityPolicy(nonce: string, options: { dev?: boolean; https?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    // next dev evaluates modules for hot reloading; production builds never need eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    // Avatars come from our own API; chat Markdown never renders images.
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** One year, subdomains included; sent only on responses that reached the browser over https. */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";
