// The chat page's first-load JavaScript, gzipped. The figure comes from the build output (the
// runtime chunks every page loads plus the entry chunks of the chat route's layouts and page, as
// the client reference manifest lists them); a real browser then opens a chat with a few replies
// and every script it fetched must be one the figure counted, so nothing loaded lazily during the
// first load escapes the count.
import { readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { projectRoot } from "@/lib/paths";
import { buildIfStale } from "@/scripts/build-app";
import { type Benchmark, createBenchCharacter, type Measure, pointModelAt, withScratchDatabase } from "./harness";
import { sessionCookie, startAppProcess, startSimulatorProcess } from "./servers";

const CHAT_ROUTE = "/(app)/chat/[conversationId]/page";
/** Other pages, for comparison (no target). */
const OTHER_ROUTES = ["/(app)/characters/page", "/(app)/characters/[id]/page"];
const TARGET_KB = 200;
const SIM_PORT = 8033;
const APP_PORT = 3133;
const MODEL = "troupe-sim/base-7b";
const SECRET = "bench-secret-bench-secret-bench-secret-0123";

type Manifest = { entryJSFiles: Record<string, string[]> };

/** The static chunks a route loads on first visit, by the build's manifests. */
function firstLoadChunks(nextDir: string, route: string): string[] {
  const build = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  const manifestFile = path.join(nextDir, "server", "app", `${route}_client-reference-manifest.js`);
  const sandbox: { __RSC_MANIFEST?: Record<string, Manifest> } = {};
  vm.runInNewContext(readFileSync(manifestFile, "utf8"), sandbox);
  const manifest = sandbox.__RSC_MANIFEST?.[route];
  if (!manifest) throw new Error(`no client reference manifest for ${route}`);
  // Every segment entry of the route: its layouts, the page and the boundaries (error, not-found…)
  // the layouts wrap it in, which the browser loads with them.
  const chunks = new Set(build.rootMainFiles);
  for (const files of Object.values(manifest.entryJSFiles)) for (const file of files) chunks.add(file);
  return [...chunks];
}

function gzipKb(nextDir: string, chunks: string[]): number {
  const bytes = chunks.reduce((sum, chunk) => sum + gzipSync(readFileSync(path.join(nextDir, chunk))).length, 0);
  return bytes / 1024;
}

/** Open a chat with a few replies in chromium; the `/_next/static/` scripts it fetched. */
async function scriptsLoadedByBrowser(): Promise<string[]> {
  return withScratchDatabase("troupe_bench", async () => {
    const { startConversation } = await import("@/lib/chat/queries");
    const { user, character } = await createBenchCharacter({ greeting: "*Bea looks up.* **Hello**, {{user}}." });
    const sim = await startSimulatorProcess(SIM_PORT, ["--model", MODEL, "--ttft-ms", "5", "--itl-ms", "1"]);
    const app = await startAppProcess(APP_PORT, {
      DATABASE_URL: process.env.DATABASE_URL ?? "",
      AUTH_SECRET: SECRET,
      LLM_BASE_URL: `${sim.url}/v1`,
      LLM_MODEL: MODEL,
    });
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--disable-gpu", "--disable-dev-shm-usage"],
    });
    const restoreModel = pointModelAt(`${sim.url}/v1`, MODEL);
    try {
      const conversation = await startConversation(user, character.id, {});
      const cookie = await sessionCookie({ ...user, role: "USER" }, SECRET);
      for (const text of ["Tell me about the harbor.", "And the *lanterns*?", "What happened after that?"]) {
        const response = await fetch(`${app.url}/api/chat/${conversation.id}/messages`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Cookie: cookie },
          body: JSON.stringify({ content: text, clientRequestId: crypto.randomUUID() }),
        });
        await response.text();
        if (!response.ok) throw new Error(`seeding the chat failed: HTTP ${response.status}`);
      }
      const [name, value] = cookie.split("=", 2) as [string, string];
      const context = await browser.newContext();
      await context.addCookies([{ name, value, url: app.url }]);
      const page = await context.newPage();
      const scripts: string[] = [];
      page.on("response", (response) => {
        const url = new URL(response.url());
        if (url.pathname.startsWith("/_next/static/") && url.pathname.endsWith(".js")) {
          scripts.push(url.pathname.replace("/_next/", ""));
        }
      });
      await page.goto(`${app.url}/chat/${conversation.id}`, { waitUntil: "networkidle" });
      const shown = await page.getByTestId("chat-message").count();
      if (shown < 7) throw new Error(`the chat page showed ${shown} messages, expected 7`);
      return scripts;
    } finally {
      restoreModel();
      await browser.close();
      await app.stop();
      await sim.stop();
    }
  });
}

export const firstLoadJsBenchmark: Benchmark = {
  name: "first-load-js",
  description: "the chat page's first-load JavaScript (gzip) from the build output, checked in chromium",
  async run(): Promise<Measure[]> {
    buildIfStale((message) => console.log(`  ${message}`));
    const nextDir = path.join(projectRoot(), ".next");
    const chatChunks = firstLoadChunks(nextDir, CHAT_ROUTE);
    const chatKb = gzipKb(nextDir, chatChunks);
    const loaded = await scriptsLoadedByBrowser();
    const uncounted = loaded.filter((script) => !chatChunks.includes(script));
    if (uncounted.length > 0) console.log(`  scripts the browser loaded outside the count: ${uncounted.join(", ")}`);
    const round1 = (value: number) => Number(value.toFixed(1));
    return [
      {
        measure: "chat page first-load JS (gzip)",
        figure: round1(chatKb),
        unit: "KB",
        target: `≤ ${TARGET_KB} KB`,
        pass: chatKb <= TARGET_KB,
      },
      {
        measure: "scripts chromium loaded outside that count",
        figure: uncounted.length,
        unit: "",
        target: "0",
        pass: uncounted.length === 0,
      },
      ...OTHER_ROUTES.map((route) => ({
        measure: `${route.replace("/(app)", "").replace(/\/page$/, "") || "/"} first-load JS (gzip)`,
        figure: round1(gzipKb(nextDir, firstLoadChunks(nextDir, route))),
        unit: "KB",
        target: "(info)",
        pass: true,
      })),
    ];
  },
};
