// Runs in the browser before any page code. Zod compiles object parsers with `new Function` when
// eval is allowed, and probes for it first; the page policy forbids eval, so the probe was
// reported as a CSP violation on every page that validates a form. Jitless skips both.
//
// Zod keeps its settings on this global (shared by every copy of zod on a page) and reads them when
// it parses; setting it here instead of calling `z.config` keeps zod's code out of every page's
// first load. lib/security/zod-jitless.test.ts checks zod still reads it.
const zodGlobal = globalThis as { __zod_globalConfig?: Record<string, unknown> };
zodGlobal.__zod_globalConfig = Object.assign(zodGlobal.__zod_globalConfig ?? {}, { jitless: true });

export {};
