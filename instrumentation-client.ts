// Runs in the browser before any page code. Zod compiles object parsers with `new Function` when
// eval is allowed, and probes for it first; the page policy forbids eval, so the probe was
// reported as a CSP violation on every page that validates a form. Jitless skips both.
import { z } from "zod";

z.config({ jitless: true });
