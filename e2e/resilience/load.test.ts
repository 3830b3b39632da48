// Load: 200 chats at once, each a user sending messages back to back (with a short pause to read
// and type) through the real chat API for a fixed time, against the built app on the test database
// and the simulator with vLLM-like timing. Nothing may fail, no database pool error may reach a
// client, and afterwards the database must hold exactly what was sent and streamed.
// `npm run test:load` runs the full 60 s; `npm test` runs the same for RESILIENCE_LOAD_SECONDS (15).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { afterAll, beforeAll, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { percentile, WORDS } from "../bench/harness";
import { type Child, startAppProcess, startSimulatorProcess } from "../bench/servers";
import {
  createCharacterFor,
  createUsers,
  databaseUrl,
  MODEL,
  messagesOf,
  pause,
  ports,
  sendMessage,
  serverEnv,
  showOutputOnFailure,
  startChat,
  type TestUser,
  type Turn,
} from "./stack";

const CHATS = Number(process.env.RESILIENCE_LOAD_CHATS) || 200;
const SECONDS = Number(process.env.RESILIENCE_LOAD_SECONDS) || 15;
/** Two chats per account: some people keep two tabs open. */
const USERS = Math.ceil(CHATS / 2);
/** Between turns a person reads the reply and types the next message (compressed: 1–3 s). */
const THINK_MS = [1_000, 3_000] as const;
/** The time a turn may take before it counts as failed. */
const TURN_TIMEOUT_MS = 60_000;

const { app: APP_PORT, sim: SIM_PORT } = ports(0);
const APP_NAME = "resilience-load-app";
let sim: Child;
let app: Child;

beforeAll(async () => {
  // A 7B model on one GPU under a few hundred sequences: ~150 ms to the first token, ~25 ms a
  // token after that, replies of 12–60 tokens.
  sim = await startSimulatorProcess(
    SIM_PORT,
    ["--model", MODEL, "--ttft-ms", "150", "--itl-ms", "25", "--jitter-ms", "5", "--max-num-seqs", "512"],
    { echoStderr: false },
  );
  // Named, so its database connections can be told apart from this test's.
  app = await startAppProcess(
    APP_PORT,
    serverEnv(sim.url, { DATABASE_URL: `${databaseUrl()}?application_name=${APP_NAME}` }),
    { echoStderr: false },
  );
});

showOutputOnFailure(() => [app]);

afterAll(async () => {
  await app?.stop();
  await sim?.stop();
});

type Sent = { chat: number; content: string; turn: Turn };

/** The app's default pool (the load test runs it unchanged). */
const DB_POOL_SIZE = 20;

/** CPU seconds used so far by a process group (Linux /proc; 0 elsewhere). */
function cpuSeconds(child: Child): number {
  const group = child.process.pid;
  if (!group || !existsSync("/proc")) return 0;
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      // Fields after the command's closing parenthesis: state ppid pgrp … utime(14) stime(15).
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      if (Number(fields[2]) === group) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / 100;
}

/** Busy and total CPU ticks of the whole machine (Linux /proc/stat; zeros elsewhere). */
function machineTicks(): { busy: number; total: number } {
  if (!existsSync("/proc/stat")) return { busy: 0, total: 0 };
  const ticks = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, value) => sum + (value || 0), 0);
  // idle and iowait
  return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total };
}

const percent = (share: number) => `${Math.round(share * 100)} %`;

it(
  `${CHATS} concurrent chats for ${SECONDS} s: no errors, every message and reply stored exactly`,
  async () => {
    const users = await createUsers("load", USERS);
    const owner = users[0] as TestUser;
    const character = await createCharacterFor(owner.id, "Load Lena");
    const chats = await Promise.all(
      Array.from({ length: CHATS }, async (_, index) => {
        const user = users[index % USERS] as TestUser;
        return { user, id: await startChat(app.url, user, character.id) };
      }),
    );

    // The app's connections to the database (open, and busy at that moment), sampled while the load runs.
    const peak = { open: 0, busy: 0 };
    const sampler = setInterval(() => {
      void pool
        .query<{ open: number; busy: number }>(
          `SELECT count(*)::int AS open, count(*) FILTER (WHERE state = 'active')::int AS busy
             FROM pg_stat_activity WHERE application_name = $1`,
          [APP_NAME],
        )
        .then(
          ({ rows }) => {
            peak.open = Math.max(peak.open, rows[0]?.open ?? 0);
            peak.busy = Math.max(peak.busy, rows[0]?.busy ?? 0);
          },
          () => {},
        );
    }, 500);
    const cpuBefore = [cpuSeconds(app), cpuSeconds(sim)];
    const generatorBefore = process.cpuUsage();
    const machineBefore = machineTicks();

    const sent: Sent[] = [];
    const started = performance.now();
    const deadline = Date.now() + SECONDS * 1_000;
    await Promise.all(
      chats.map(async ({ user, id }, chat) => {
        // Arrivals spread over the first two seconds, not one thundering herd.
        await pause((chat / CHATS) * 2_000);
        // Back to back for the duration, and at least two turns however slow the machine is.
        for (let number = 0; Date.now() < deadline || number < 2; number++) {
          const words = Array.from({ length: 6 }, (_, i) => WORDS[(chat + number * 7 + i * 3) % WORDS.length]);
          const content = `${words.join(" ")}? (chat ${chat}, message ${number})`;
          const turn = await sendMessage(app.url, user, id, content, { timeoutMs: TURN_TIMEOUT_MS });
          sent.push({ chat, content, turn });
          await pause(THINK_MS[0] + Math.random() * (THINK_MS[1] - THINK_MS[0]));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1_000;
    clearInterval(sampler);
    const [appCpu, simCpu] = [cpuSeconds(app) - (cpuBefore[0] ?? 0), cpuSeconds(sim) - (cpuBefore[1] ?? 0)];
    const generator = process.cpuUsage(generatorBefore);
    const generatorCpu = (generator.user + generator.system) / 1e6;
    const machineAfter = machineTicks();
    const machineBusy = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total || 1);

    const failed = sent.filter(({ turn }) => turn.status !== 200 || turn.end?.type !== "done" || turn.transportError);
    const ttfts = sent.flatMap(({ turn }) => (turn.ttftMs === null ? [] : [turn.ttftMs]));
    const simStats = (await (await fetch(`${sim.url}/sim/stats`)).json()) as { peakRunning?: number };
    console.log(
      [
        `load: ${CHATS} chats by ${USERS} users for ${SECONDS} s (${seconds.toFixed(1)} s with the last replies)`,
        `  messages sent        ${sent.length}`,
        `  replies/s            ${(sent.length / seconds).toFixed(1)}`,
        `  TTFT p50 / p99       ${percentile(ttfts, 50).toFixed(0)} ms / ${percentile(ttfts, 99).toFixed(0)} ms`,
        `  errors               ${failed.length}`,
        `  app DB connections   ${peak.open} open, ${peak.busy} busy at most (pool of ${DB_POOL_SIZE})`,
        `  CPU                  app ${percent(appCpu / seconds)}, simulator ${percent(simCpu / seconds)}, ` +
          `this test ${percent(generatorCpu / seconds)} of a core; all ${cpus().length} cores ${percent(machineBusy)} busy`,
        `  streams at once      ${simStats.peakRunning ?? "?"} at most`,
      ].join("\n"),
    );
    for (const { chat, turn } of failed.slice(0, 5)) {
      console.log(`  failed: chat ${chat}`, turn.status, turn.transportError, JSON.stringify(turn.end ?? turn.body));
    }

    expect(failed).toHaveLength(0);
    // No database trouble reached anyone, not even as a logged error the client never saw.
    expect(app.output()).not.toMatch(
      /timeout exceeded when trying to connect|\[api\] unexpected error|\[chat\] stream failed/,
    );

    // Exactly what was sent and streamed is stored: one user message per send, one complete reply
    // per turn with the streamed text, nothing else.
    const rows = await messagesOf(chats.map((chat) => chat.id));
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(rows.filter((row) => row.role === "USER")).toHaveLength(sent.length);
    expect(rows.filter((row) => row.role === "ASSISTANT")).toHaveLength(sent.length);
    for (const { content, turn } of sent) {
      const user = byId.get(turn.start?.userMessage?.id ?? "");
      const reply = byId.get(turn.start?.assistantMessage.id ?? "");
      expect(user).toMatchObject({ role: "USER", content, status: "COMPLETE" });
      expect(reply).toMatchObject({ role: "ASSISTANT", parentId: user?.id, status: "COMPLETE", content: turn.text });
      expect(turn.text.length).toBeGreaterThan(0);
    }
  },
  Math.max(180_000, SECONDS * 1_000 + 150_000),
);
