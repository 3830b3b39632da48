/**
 * The test-only control API under /sim (not part of vLLM): read and clear recorded requests, arm
 * faults and scripted replies, change timing while running, read counters. Same-process tests can
 * call the Simulator methods instead; this is for the app under Playwright and for benchmarks.
 */

import type { ServerResponse } from "node:http";
import { z } from "zod";
import { faultInputSchema } from "./faults";
import { ApiError, sendJson, sendNotFound } from "./http";
import { runtimeConfigPatchSchema } from "./options";
import { parseRequest } from "./schema";
import { scriptRuleSchema } from "./script";
import type { SimState } from "./state";

const faultsBody = z.array(faultInputSchema);
const scriptBody = z.array(scriptRuleSchema);

function noContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

export function handleControl(state: SimState, method: string, url: URL, body: unknown, res: ServerResponse): void {
  const route = `${method} ${url.pathname}`;
  switch (route) {
    case "GET /sim/requests": {
      const since = Number(url.searchParams.get("since") ?? 0);
      if (!Number.isFinite(since)) throw new ApiError(400, "since must be a number", "since");
      sendJson(res, 200, { requests: state.log.since(since) });
      return;
    }
    case "DELETE /sim/requests":
      state.log.clear();
      noContent(res);
      return;
    case "PUT /sim/faults":
      state.setFaults(parseRequest(faultsBody, body));
      sendJson(res, 200, { faults: state.faults.list() });
      return;
    case "DELETE /sim/faults":
      state.setFaults([]);
      noContent(res);
      return;
    case "PUT /sim/script":
      state.script.set(parseRequest(scriptBody, body));
      sendJson(res, 200, { script: state.script.list() });
      return;
    case "DELETE /sim/script":
      state.script.set([]);
      noContent(res);
      return;
    case "GET /sim/config":
      sendJson(res, 200, { config: state.config });
      return;
    case "PUT /sim/config":
      sendJson(res, 200, { config: state.setConfig(parseRequest(runtimeConfigPatchSchema, body)) });
      return;
    case "GET /sim/stats":
      sendJson(res, 200, state.stats());
      return;
    default:
      sendNotFound(res);
  }
}
