// The entities the matrix points at, made fresh through the app's own API and actions: alice's
// private and unlisted characters, her chats and arena rounds, and an admin's synthesis job, eval
// suite and run, samples and dataset version. Rows that change or delete something take a
// throwaway made for them.
import { randomInt } from "node:crypto";
import { type Browser, expect } from "@playwright/test";
import { SIM_PORT } from "../../playwright.config";
import { seedSamples, uniqueJobId } from "../fixtures/samples";
import { TEST_PASSWORD, testUser } from "../fixtures/users";
import { AuthPage } from "../pages/auth";
import { type Answer, callAction, FormArgs, type HttpCall, type Session, send, sessionCookieOf } from "./client";
import type { DiscoveredAction } from "./discover";

type ChatEvent = { type: string; userMessage?: { id: string }; message?: { id: string } };

/** The events of a streamed chat reply (`data: {…}` frames). */
function chatEvents(answer: Answer): ChatEvent[] {
  return answer.text
    .split("\n\n")
    .filter((frame) => frame.startsWith("data: "))
    .map((frame) => JSON.parse(frame.slice(6)) as ChatEvent);
}

const SUITE_LINES = [
  { suite: { name: "authz-matrix", kind: "persona", description: "one item, for the authorization matrix" } },
  {
    persona: "A lighthouse keeper on a northern island in 1890.",
    question: "A storm is coming in tonight. What do you do first?",
    task: "expected_action",
    rubric: "5: acts as a keeper of that time would; 1: ignores the persona",
    language: "en",
  },
];

export class World {
  readonly tag = `${Date.now().toString(36)}${randomInt(1e4)}`;
  /**
   * Sign-ups are limited per client address (X-Forwarded-For when present); this run's get an
   * address of their own so they never use up the budget the other browser tests sign up from.
   */
  readonly signUpHeaders = { "X-Forwarded-For": `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}` };
  readonly suiteFile = `${SUITE_LINES.map((line) => JSON.stringify(line)).join("\n")}\n`;
  private counter = 0;
  private readonly made = new Map<string, Promise<unknown>>();

  anonymous: Session = { name: "anonymous", cookie: null };
  alice!: Session;
  bob!: Session;
  admin!: Session;
  /** A session token whose account was deleted: past the proxy, refused by every handler's own check. */
  signedOut!: Session;

  character!: string;
  /** Readable by anyone signed in who has the link; still only alice's to edit. */
  unlisted!: string;
  /** A PNG the avatar upload accepts. */
  avatar!: Uint8Array<ArrayBuffer>;
  conversation!: { id: string; userMessage: string; reply: string };
  arena!: {
    versions: string[];
    /** A round whose two replies are in, waiting for a vote. */
    voteReady: { id: string; battle: string };
    /** A round nobody has answered yet. */
    unanswered: { id: string; battle: string };
    /** An arena chat with no round. */
    idle: string;
  };
  roleTarget!: { id: string; email: string };
  input!: string;
  job!: string;
  suite!: string;
  run!: string;
  sampleJob!: string;
  sample!: string;
  dataset!: string;

  constructor(
    readonly base: string,
    private readonly actions: Map<string, DiscoveredAction>,
  ) {}

  unique(prefix: string): string {
    this.counter += 1;
    return `${prefix} ${this.tag}-${this.counter}`;
  }

  requestId(): string {
    return this.unique("req").replace(/\W/g, "");
  }

  newEmail(): string {
    return `authz-${this.tag}-${++this.counter}@example.com`;
  }

  /** A served model id no endpoint has yet (unique per endpoint); nothing is ever sent to it. */
  newServedId(): string {
    return `authz-${this.tag}-${++this.counter}`;
  }

  /** One entity per row, shared by its four calls (made on first use). */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (!this.made.has(key)) this.made.set(key, make());
    return this.made.get(key) as Promise<T>;
  }

  /** An HTTP call that must succeed (fixtures only; the matrix's own calls are judged, not required). */
  async api(session: Session, call: HttpCall): Promise<Answer> {
    const answer = await send(this.base, session, call);
    expect(answer.status, `${session.name}: ${call.method} ${call.path} → ${answer.text.slice(0, 300)}`).toBeLessThan(
      300,
    );
    return answer;
  }

  async json<T>(session: Session, call: HttpCall): Promise<T> {
    return JSON.parse((await this.api(session, call)).text) as T;
  }

  actionId(name: string): string {
    const found = [...this.actions.values()].find((action) => action.key.endsWith(`#${name}`));
    if (!found?.id) throw new Error(`no callable action ${name}`);
    return found.id;
  }

  /** An action call that must return ok; its data. */
  async act<T>(session: Session, name: string, page: string, ...args: unknown[]): Promise<T> {
    const answer = await callAction(this.base, session, this.actionId(name), { page, args });
    expect(answer.result, `${session.name}: ${name} → ${JSON.stringify(answer)}`).toMatchObject({ ok: true });
    return (answer.result as unknown as { data: T }).data;
  }

  /** A new account, signed in. */
  async newUser(name = "Authz Throwaway"): Promise<{ session: Session; id: string; email: string }> {
    const email = this.newEmail();
    const answer = await callAction(this.base, this.anonymous, this.actionId("signUpAction"), {
      page: "/signup",
      args: new FormArgs({ name, email, password: TEST_PASSWORD }),
      headers: this.signUpHeaders,
    });
    expect(answer.redirect, `sign-up of ${email}: ${answer.status} ${JSON.stringify(answer.result)}`).toBe(
      "/characters",
    );
    const cookie = sessionCookieOf(answer.headers);
    expect(cookie, "the sign-up sets a session cookie").not.toBeNull();
    const session = { name: email, cookie, email };
    const me = await this.json<{ user: { id: string } }>(session, { method: "GET", path: "/api/me" });
    return { session, id: me.user.id, email };
  }

  /** A character of alice's, private unless asked otherwise. */
  async newCharacter(visibility: "PRIVATE" | "UNLISTED" = "PRIVATE"): Promise<string> {
    const name = this.unique("Authz Ada");
    const created = await this.json<{ id: string }>(this.alice, {
      method: "POST",
      path: "/api/characters",
      json: {
        profile: {
          name,
          description: `${name} keeps the harbour light.`,
          greeting: `*${name} looks up.* Hello, {{user}}.`,
          exampleDialogues: "<START>\n{{user}}: Is the light lit?\n{{char}}: Every night since I came here.",
        },
        tags: [],
        visibility,
      },
    });
    return created.id;
  }

  /** A chat of alice's with the shared character: only its greeting so far. */
  async newChat(): Promise<{ id: string; greeting: string }> {
    const { id } = await this.json<{ id: string }>(this.alice, {
      method: "POST",
      path: "/api/chat",
      json: { characterId: this.character },
    });
    const state = await this.json<{ selectedRootId: string }>(this.alice, { method: "GET", path: `/api/chat/${id}` });
    return { id, greeting: state.selectedRootId };
  }

  async newChatWithReply(): Promise<{ id: string; userMessage: string; reply: string }> {
    const { id } = await this.newChat();
    return { id, ...(await this.say(id, "Is the light lit tonight?")) };
  }

  /** Auth.js's CSRF token, and the caller's cookie with the token's cookie added. */
  async csrf(as: Session): Promise<{ token: string; cookie: string }> {
    const answer = await this.api(as, { method: "GET", path: "/api/auth/csrf" });
    const tokenCookie = answer.headers
      .getSetCookie()
      .map((value) => value.split(";")[0] ?? "")
      .find((value) => value.includes("authjs.csrf-token="));
    if (!tokenCookie) throw new Error("no CSRF cookie");
    const { csrfToken } = JSON.parse(answer.text) as { csrfToken: string };
    return { token: csrfToken, cookie: [as.cookie, tokenCookie].filter(Boolean).join("; ") };
  }

  /** Send a message in alice's chat and wait for the whole reply. */
  async say(conversationId: string, content: string): Promise<{ userMessage: string; reply: string }> {
    const answer = await this.api(this.alice, {
      method: "POST",
      path: `/api/chat/${conversationId}/messages`,
      json: { content, clientRequestId: this.requestId() },
    });
    const events = chatEvents(answer);
    const userMessage = events.find((event) => event.type === "start")?.userMessage?.id;
    const reply = events.find((event) => event.type === "done")?.message?.id;
    if (!userMessage || !reply) throw new Error(`no complete reply: ${answer.text.slice(-300)}`);
    return { userMessage, reply };
  }

  /**
   * A registered model version: a throwaway on the default endpoint, or, for one that must answer,
   * a model the simulator serves on an endpoint of this run's.
   */
  async newModelVersion(serving?: { endpoint: string; model: string }): Promise<{ id: string; name: string }> {
    const name = this.unique("Authz model");
    const { id } = await this.act<{ id: string }>(this.admin, "registerModelAction", "/admin/models", {
      name,
      servedModelId: serving?.model ?? this.newServedId(),
      endpointName: serving?.endpoint ?? "default",
    });
    return { id, name };
  }

  /** A LoRA adapter version (registered, not loaded). */
  async newAdapterVersion(): Promise<{ id: string; name: string }> {
    const name = this.unique("Authz adapter");
    const { id } = await this.act<{ id: string }>(this.admin, "registerModelAction", "/admin/models", {
      name,
      // Adapter ids must end in a version.
      servedModelId: `${this.newServedId()}-v1`,
      baseModel: "troupe-sim/base-7b",
      adapterPath: `/adapters/authz-${this.tag}`,
      endpointName: "default",
    });
    return { id, name };
  }

  /** An endpoint on the simulator. */
  endpointInput() {
    return { name: this.unique("authz").replace(/\s/g, "-"), kind: "VLLM", baseUrl: `http://127.0.0.1:${SIM_PORT}/v1` };
  }

  async newEndpoint(): Promise<string> {
    const { id } = await this.act<{ id: string }>(
      this.admin,
      "saveEndpointAction",
      "/admin/models",
      null,
      this.endpointInput(),
    );
    return id;
  }

  /** An A/B experiment on a throwaway character, so no other test's chats are routed by it. */
  async newExperiment(): Promise<string> {
    const [a, b] = [await this.newModelVersion(), await this.newModelVersion()];
    const { id } = await this.act<{ id: string }>(this.admin, "startExperimentAction", "/admin/routing", {
      name: this.unique("Authz experiment"),
      characterId: await this.newCharacter(),
      variantAId: a.id,
      variantBId: b.id,
    });
    return id;
  }

  /** Samples waiting for review, under a job id of their own. */
  async newSamples(count: number): Promise<{ jobId: string; ids: string[] }> {
    const jobId = uniqueJobId();
    const ids = await seedSamples(
      jobId,
      Array.from({ length: count }, (_, index) => ({
        prompt: [{ role: "user" as const, content: `Authz question ${index}: is the light lit?` }],
        chosen: `Every night, answer ${index}.`,
      })),
    );
    return { jobId, ids };
  }

  /** A bulk approval that can be undone. */
  async newBulk(): Promise<string> {
    const { jobId } = await this.newSamples(1);
    const filter = { jobId, state: ["NEEDS_REVIEW"] };
    const { bulkId } = await this.act<{ bulkId: string }>(this.admin, "bulkReviewAction", "/admin/curation", {
      filter,
      decision: "APPROVED",
      expected: 1,
    });
    return bulkId;
  }

  /**
   * A synthesis job still running: its one persona asks the simulator to drip tokens a second
   * apart (a `[sim:slow@N]` directive), so it cannot finish before it is paused or cancelled.
   */
  async newRunningJob(): Promise<string> {
    const input = await this.json<{ id: string }>(this.admin, {
      method: "POST",
      path: `/api/admin/synthesis/inputs?kind=personas&name=${encodeURIComponent(this.unique("authz-slow"))}.txt`,
      body: "A night-shift radio operator who answers slowly. [sim:slow@1000]\n",
    });
    return this.startProfilesJob(input.id);
  }

  private async startProfilesJob(inputId: string): Promise<string> {
    const { id } = await this.act<{ id: string }>(this.admin, "startSynthesisAction", "/admin/synthesis", {
      pipeline: "profiles",
      params: { inputId, limit: 1 },
      modelVersionId: null,
      temperature: 0.7,
      maxOutputTokens: 256,
      runners: 1,
    });
    return id;
  }

  /** Sign the fixed users in through the sign-in page, and make everything the rows point at. */
  async create(browser: Browser): Promise<void> {
    const signIn = async (name: "alice" | "bob" | "admin"): Promise<Session> => {
      const context = await browser.newContext({ baseURL: this.base });
      const page = await context.newPage();
      await new AuthPage(page).signInAs(testUser(name));
      const token = (await context.cookies()).find((cookie) => cookie.name.endsWith("authjs.session-token"));
      await context.close();
      if (!token) throw new Error(`no session cookie for ${name}`);
      return { name, cookie: `${token.name}=${token.value}` };
    };
    this.alice = await signIn("alice");
    this.bob = await signIn("bob");
    this.admin = await signIn("admin");

    const ghost = await this.newUser("Authz Ghost");
    await this.api(ghost.session, { method: "DELETE", path: "/api/me", json: { confirmEmail: ghost.email } });
    this.signedOut = { name: "signed-out", cookie: ghost.session.cookie };
    this.roleTarget = await this.newUser("Authz Role Target");

    // Offering a chat needs the owner's training consent; no other test takes alice's away.
    await this.api(this.alice, { method: "PUT", path: "/api/me/consent", json: { trainingConsent: true } });

    this.character = await this.newCharacter();
    this.unlisted = await this.newCharacter("UNLISTED");
    // The character's own card export is a PNG the avatar upload accepts.
    const image = await fetch(new URL(`/api/characters/${this.character}/export?format=png`, this.base), {
      headers: { cookie: this.alice.cookie ?? "" },
    });
    expect(image.status).toBe(200);
    this.avatar = new Uint8Array(await image.arrayBuffer());
    await this.api(this.alice, {
      method: "PUT",
      path: `/api/characters/${this.character}/avatar`,
      body: this.avatar,
      headers: { "content-type": "image/png" },
    });
    // A second version, so the versions page has two to compare.
    const first = await this.json<{ profile: Record<string, unknown> }>(this.alice, {
      method: "GET",
      path: `/api/characters/${this.character}`,
    });
    await this.api(this.alice, {
      method: "PUT",
      path: `/api/characters/${this.character}`,
      json: { profile: { ...first.profile, description: "Second version." }, tags: [], visibility: "PRIVATE" },
    });

    const chat = await this.newChat();
    this.conversation = { id: chat.id, ...(await this.say(chat.id, "Is the light lit tonight?")) };

    // The arena needs two models in it, on an endpoint of this run's; they leave the arena again
    // after the route checks (leaveArena).
    const endpoint = this.endpointInput();
    await this.act(this.admin, "saveEndpointAction", "/admin/models", null, endpoint);
    const versions = [
      await this.newModelVersion({ endpoint: endpoint.name, model: "troupe-sim/base-7b" }),
      await this.newModelVersion({ endpoint: endpoint.name, model: "troupe-sim/lora-aria-v1" }),
    ];
    for (const version of versions) {
      await this.act(this.admin, "setInArenaAction", "/admin/models", version.id, true);
    }
    const arenaChat = async () =>
      (
        await this.json<{ id: string }>(this.alice, {
          method: "POST",
          path: "/api/arena",
          json: { characterId: this.character },
        })
      ).id;
    const round = async (id: string) =>
      (
        await this.json<{ battleId: string }>(this.alice, {
          method: "POST",
          path: `/api/arena/${id}/battles`,
          json: { content: "Which of you keeps the better light?", clientRequestId: this.requestId() },
        })
      ).battleId;
    const voteReady = await arenaChat();
    const voteBattle = await round(voteReady);
    for (const side of ["A", "B"]) {
      const answer = await this.api(this.alice, {
        method: "POST",
        path: `/api/arena/${voteReady}/battles/${voteBattle}/${side}`,
      });
      expect(chatEvents(answer).at(-1)?.type, `arena side ${side}: ${answer.text.slice(-300)}`).toBe("done");
    }
    const unanswered = await arenaChat();
    this.arena = {
      versions: versions.map((version) => version.id),
      voteReady: { id: voteReady, battle: voteBattle },
      unanswered: { id: unanswered, battle: await round(unanswered) },
      idle: await arenaChat(),
    };

    const input = await this.json<{ id: string }>(this.admin, {
      method: "POST",
      path: `/api/admin/synthesis/inputs?kind=personas&name=${encodeURIComponent(this.unique("authz"))}.txt`,
      body: "A lighthouse keeper who logs every passing ship.\n",
    });
    this.input = input.id;
    this.job = await this.startProfilesJob(input.id);

    const form = new FormData();
    form.set("file", new Blob([this.suiteFile], { type: "application/x-ndjson" }), "authz-matrix.jsonl");
    form.set("name", this.unique("authz-suite").replace(/\s/g, "-"));
    this.suite = (
      await this.json<{ id: string }>(this.admin, { method: "POST", path: "/api/admin/eval/suites", body: form })
    ).id;
    this.run = (
      await this.act<{ id: string }>(this.admin, "startEvalRunAction", "/admin/eval", {
        suiteId: this.suite,
        modelVersionId: null,
        judgeVersionId: null,
        samples: 1,
      })
    ).id;

    const samples = await this.newSamples(2);
    this.sampleJob = samples.jobId;
    this.sample = samples.ids[0] as string;
    await this.act(this.admin, "reviewSampleAction", `/admin/curation/${samples.ids[1]}`, {
      sampleId: samples.ids[1],
      decision: "APPROVED",
    });
    this.dataset = (
      await this.act<{ id: string }>(this.admin, "createDatasetAction", "/admin/datasets", {
        name: this.unique("authz").replace(/\s/g, "-"),
        filter: { jobId: samples.jobId },
      })
    ).id;
  }

  /** Take this run's models out of the arena, so other tests' rounds draw only their own. */
  async leaveArena(): Promise<void> {
    for (const id of this.arena?.versions ?? []) {
      await this.act(this.admin, "setInArenaAction", "/admin/models", id, false);
    }
  }
}
