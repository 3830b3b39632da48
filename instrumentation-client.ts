// Runs in the browser before any page code. Zod compiles object parsers with `new Function` when
// eval is allowed, and probes for it first; the page policy forbids eval, so the probe was
// reported as a CSP violation on every page that validates a form. Jitless skips both. Only zod's
// small core config module is imported: this file is part of every page's first load.
import { config } from "zod/v4/core";

config({ jitless: true });
