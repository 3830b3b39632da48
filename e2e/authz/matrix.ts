// The authorization matrix: one row per route handler method, page and server action, each with
// the outcome expected for [anonymous, another user, the owner, an admin]. The owner is alice (the
// fixtures are hers); on admin-only rows the entities are an admin's, so the owner column is the
// admin's outcome too. Every request carries a valid body, so what is checked is who may, not what.
//
// Rules the rows follow (../shared/docs/style.md): 401 anonymous; 403 signed in but not allowed
// (without the role, or editing a character one may only read); 404 for another user's private
// character or chat (they may not know it exists); admins may read and edit any character, but chats
// belong to their user alone.
import { TEST_PASSWORD, testUser } from "../fixtures/users";
import { type ActionCall, FormArgs, type HttpCall, type Session, send } from "./client";
import type { World } from "./fixtures";

export const IDENTITIES = ["anonymous", "other", "owner", "admin"] as const;
export type Identity = (typeof IDENTITIES)[number];
type Four<T> = readonly [anonymous: T, other: T, owner: T, admin: T];

/** Who plays the owner: alice; the admin on admin-only rows; a fresh account where the row uses it up. */
export type Owner = "alice" | "admin" | ((world: World) => Promise<Session>);

/** A status, or a status and where it redirects to: `"302 →/characters"`. */
export type RouteOutcome = number | `${number} →${string}`;
/** A status, `"login"` (a redirect to `/login?next=<this page>`), or another redirect: `"→/characters"`. */
export type PageOutcome = 200 | 403 | 404 | "login" | `→${string}`;
/** What the action returned: `"ok"`, an error code, or where it redirected to (a prefix): `"→/chat/"`. */
export type ActionOutcome = "ok" | `${string}:${string}` | `→${string}`;

type Request<T> = (world: World, as: Session, who: Identity) => T | Promise<T>;

export type RouteRow = { expect: Four<RouteOutcome>; owner?: Owner; request: Request<HttpCall> };
export type PageRow = {
  expect: Four<PageOutcome>;
  owner?: Owner;
  path: (world: World) => string;
  /**
   * Where a signed-out session (past the proxy) is sent to sign in, when not back to this page:
   * the admin layout's guard answers before the page's own and names the admin area.
   */
  signedOutNext?: string;
};
export type ActionRow =
  | { expect: Four<ActionOutcome>; owner?: Owner; call: Request<ActionCall> }
  /** Exported from a "use server" file but referenced by no client code: the build gives it no id. */
  | { unreachable: string };

const SESSION = "unauthorized:session";
const ROLE = "forbidden:role";

const get = (path: string): HttpCall => ({ method: "GET", path });
const del = (path: string, json?: unknown): HttpCall => ({ method: "DELETE", path, json });
const post = (path: string, json?: unknown): HttpCall => ({ method: "POST", path, json });
const put = (path: string, json: unknown): HttpCall => ({ method: "PUT", path, json });
const patch = (path: string, json: unknown): HttpCall => ({ method: "PATCH", path, json });

const adminRoute = (request: Request<HttpCall>, ok = 200): RouteRow => ({
  expect: [401, 403, ok, ok],
  owner: "admin",
  request,
});
const adminPage = (path: (world: World) => string): PageRow => ({
  expect: ["login", 403, 200, 200],
  owner: "admin",
  path,
  signedOutNext: "/admin",
});
const adminAction = (call: Request<ActionCall>): ActionRow => ({
  expect: [SESSION, ROLE, "ok", "ok"],
  owner: "admin",
  call,
});
const signedInPage = (path: string): PageRow => ({ expect: ["login", 200, 200, 200], path: () => path });
const publicPage = (path: string): PageRow => ({
  expect: [200, "→/characters", "→/characters", "→/characters"],
  path: () => path,
});

/** A fresh account plays the owner where the row deletes the caller's own account. */
const freshAccount = async (world: World) => (await world.newUser("Authz Leaver")).session;

const newMessage = (world: World) => ({ content: "And the fog horn?", clientRequestId: world.requestId() });
const cardFile = (world: World) => {
  const name = world.unique("Authz Imported");
  const card = {
    spec: "chara_card_v2",
    spec_version: "2.0",
    data: { name, description: "Imported.", first_mes: "Hi." },
  };
  const form = new FormData();
  form.append("files", new Blob([JSON.stringify(card)], { type: "application/json" }), "card.json");
  return form;
};
const suiteUpload = (world: World) => {
  const form = new FormData();
  form.set("file", new Blob([world.suiteFile], { type: "application/x-ndjson" }), "suite.jsonl");
  form.set("name", world.unique("authz-suite").replace(/\s/g, "-"));
  return form;
};
/** The caller's own current value, sent back, so the matrix changes no one's consent or persona. */
async function ownConsent(world: World, as: Session): Promise<boolean> {
  const me = await send(world.base, as, get("/api/me"));
  return me.status === 200
    ? (JSON.parse(me.text) as { user: { trainingConsent: boolean } }).user.trainingConsent
    : false;
}
async function ownPersona(world: World, as: Session): Promise<{ name: string; description: string }> {
  const persona = await send(world.base, as, get("/api/me/persona"));
  return persona.status === 200 ? JSON.parse(persona.text) : { name: "Nobody", description: "" };
}

export const ROUTES: Record<string, RouteRow> = {
  "GET /api/health": { expect: [200, 200, 200, 200], request: () => get("/api/health") },
  "GET /api/auth/[...nextauth]": { expect: [200, 200, 200, 200], request: () => get("/api/auth/session") },
  // Signing in is public: a throwaway account's credentials succeed whoever sends them.
  "POST /api/auth/[...nextauth]": {
    expect: ["302 →/characters", "302 →/characters", "302 →/characters", "302 →/characters"],
    request: async (world, as) => {
      const { token, cookie } = await world.csrf(as);
      const form = new URLSearchParams({
        email: world.roleTarget.email,
        password: TEST_PASSWORD,
        csrfToken: token,
        callbackUrl: "/characters",
      });
      return {
        method: "POST",
        path: "/api/auth/callback/credentials",
        body: form,
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      };
    },
  },

  // An API path nothing serves is the API's JSON 404 for everyone.
  "GET /api/[...path]": { expect: [404, 404, 404, 404], request: () => get("/api/no/such/endpoint") },
  "POST /api/[...path]": { expect: [404, 404, 404, 404], request: () => post("/api/no/such/endpoint", {}) },
  "PUT /api/[...path]": { expect: [404, 404, 404, 404], request: () => put("/api/no/such/endpoint", {}) },
  "PATCH /api/[...path]": { expect: [404, 404, 404, 404], request: () => patch("/api/no/such/endpoint", {}) },
  "DELETE /api/[...path]": { expect: [404, 404, 404, 404], request: () => del("/api/no/such/endpoint") },

  "GET /api/me": { expect: [401, 200, 200, 200], request: () => get("/api/me") },
  // Nobody can delete another account by naming its email: the confirmation must be the caller's own.
  "DELETE /api/me": {
    expect: [401, 400, 204, 400],
    owner: freshAccount,
    request: (_world, as, who) =>
      del("/api/me", { confirmEmail: who === "owner" ? as.email : testUser("alice").email }),
  },
  "PUT /api/me/consent": {
    expect: [401, 200, 200, 200],
    request: async (world, as) => put("/api/me/consent", { trainingConsent: await ownConsent(world, as) }),
  },
  "GET /api/me/persona": { expect: [401, 200, 200, 200], request: () => get("/api/me/persona") },
  "PUT /api/me/persona": {
    expect: [401, 200, 200, 200],
    request: async (world, as) => put("/api/me/persona", await ownPersona(world, as)),
  },

  "GET /api/characters": { expect: [401, 200, 200, 200], request: () => get("/api/characters") },
  "POST /api/characters": {
    expect: [401, 201, 201, 201],
    request: (world) =>
      post("/api/characters", { profile: { name: world.unique("Authz Made") }, tags: [], visibility: "PRIVATE" }),
  },
  "POST /api/characters/generate": {
    expect: [401, 200, 200, 200],
    request: () => post("/api/characters/generate", { persona: "A retired ferry captain who still reads the tides." }),
  },
  "POST /api/characters/import": {
    expect: [401, 200, 200, 200],
    request: (world) => ({ method: "POST", path: "/api/characters/import", body: cardFile(world) }),
  },
  "GET /api/characters/[id]": {
    expect: [401, 404, 200, 200],
    request: (world) => get(`/api/characters/${world.character}`),
  },
  "PUT /api/characters/[id]": {
    expect: [401, 404, 200, 200],
    request: async (world) =>
      put(`/api/characters/${await world.once("PUT character", () => world.newCharacter())}`, {
        profile: { name: world.unique("Authz Saved") },
        tags: [],
        visibility: "PRIVATE",
      }),
  },
  "DELETE /api/characters/[id]": {
    expect: [401, 404, 204, 204],
    request: async (world) => del(`/api/characters/${await world.newCharacter()}`),
  },
  "GET /api/characters/[id]/avatar": {
    expect: [401, 404, 200, 200],
    request: (world) => get(`/api/characters/${world.character}/avatar`),
  },
  "PUT /api/characters/[id]/avatar": {
    expect: [401, 404, 204, 204],
    request: async (world) => ({
      method: "PUT",
      path: `/api/characters/${await world.once("PUT avatar", () => world.newCharacter())}/avatar`,
      body: world.avatar,
      headers: { "content-type": "image/png" },
    }),
  },
  "DELETE /api/characters/[id]/avatar": {
    expect: [401, 404, 204, 204],
    request: async (world) =>
      del(`/api/characters/${await world.once("DELETE avatar", () => world.newCharacter())}/avatar`),
  },
  "GET /api/characters/[id]/export": {
    expect: [401, 404, 200, 200],
    request: (world) => get(`/api/characters/${world.character}/export?format=v2`),
  },
  "POST /api/characters/[id]/fork": {
    expect: [401, 404, 201, 201],
    request: (world) => post(`/api/characters/${world.character}/fork`),
  },
  "GET /api/characters/[id]/versions": {
    expect: [401, 404, 200, 200],
    request: (world) => get(`/api/characters/${world.character}/versions`),
  },

  "GET /api/chat": { expect: [401, 200, 200, 200], request: () => get("/api/chat") },
  "POST /api/chat": {
    expect: [401, 404, 201, 201],
    request: (world) => post("/api/chat", { characterId: world.character }),
  },
  "GET /api/chat/[id]": { expect: [401, 404, 200, 404], request: (world) => get(`/api/chat/${world.conversation.id}`) },
  "PATCH /api/chat/[id]": {
    expect: [401, 404, 200, 404],
    request: (world) => patch(`/api/chat/${world.conversation.id}`, { title: world.unique("Authz title") }),
  },
  "DELETE /api/chat/[id]": {
    expect: [401, 404, 204, 404],
    request: async (world) => del(`/api/chat/${(await world.once("DELETE chat", () => world.newChat())).id}`),
  },
  "POST /api/chat/[id]/messages": {
    expect: [401, 404, 200, 404],
    request: (world) => post(`/api/chat/${world.conversation.id}/messages`, newMessage(world)),
  },
  "DELETE /api/chat/[id]/messages/[messageId]": {
    expect: [401, 404, 204, 404],
    request: async (world) => {
      const chat = await world.once("DELETE message", () => world.newChat());
      return del(`/api/chat/${chat.id}/messages/${chat.greeting}`);
    },
  },
  "POST /api/chat/[id]/regenerate": {
    expect: [401, 404, 200, 404],
    request: async (world) => {
      const chat = await world.once("regenerate", () => world.newChatWithReply());
      return post(`/api/chat/${chat.id}/regenerate`, { userMessageId: chat.userMessage });
    },
  },
  "POST /api/chat/[id]/continue": {
    expect: [401, 404, 200, 404],
    request: async (world) => {
      const chat = await world.once("continue", () => world.newChatWithReply());
      return post(`/api/chat/${chat.id}/continue`, { messageId: chat.reply });
    },
  },
  "POST /api/chat/[id]/edit": {
    expect: [401, 404, 201, 404],
    request: async (world) => {
      const chat = await world.once("edit", () => world.newChatWithReply());
      return post(`/api/chat/${chat.id}/edit`, { messageId: chat.reply, content: "The light is lit, always." });
    },
  },
  "POST /api/chat/[id]/select": {
    expect: [401, 404, 200, 404],
    request: async (world) => {
      const chat = await world.once("select", () => world.newChatWithReply());
      return post(`/api/chat/${chat.id}/select`, { messageId: chat.reply });
    },
  },
  "POST /api/chat/[id]/rate": {
    expect: [401, 404, 200, 404],
    request: (world) =>
      post(`/api/chat/${world.conversation.id}/rate`, { messageId: world.conversation.reply, value: 1 }),
  },
  "POST /api/chat/[id]/offer": {
    expect: [401, 404, 200, 404],
    request: async (world) => {
      const chat = await world.once("offer", () => world.newChatWithReply());
      return post(`/api/chat/${chat.id}/offer`, { messageId: chat.reply });
    },
  },

  "POST /api/arena": {
    expect: [401, 404, 201, 201],
    request: (world) => post("/api/arena", { characterId: world.character }),
  },
  "GET /api/arena/[id]": { expect: [401, 404, 200, 404], request: (world) => get(`/api/arena/${world.arena.idle}`) },
  "POST /api/arena/[id]/battles": {
    expect: [401, 404, 201, 404],
    request: (world) =>
      post(`/api/arena/${world.arena.idle}/battles`, {
        content: "Who keeps the better light?",
        clientRequestId: world.requestId(),
      }),
  },
  "POST /api/arena/[id]/battles/[battleId]/[side]": {
    expect: [401, 404, 200, 404],
    request: (world) => post(`/api/arena/${world.arena.unanswered.id}/battles/${world.arena.unanswered.battle}/A`),
  },
  "POST /api/arena/[id]/battles/[battleId]/vote": {
    expect: [401, 404, 200, 404],
    request: (world) =>
      post(`/api/arena/${world.arena.voteReady.id}/battles/${world.arena.voteReady.battle}/vote`, { vote: "A" }),
  },

  "GET /api/admin/users": adminRoute(() => get("/api/admin/users")),
  // A throwaway account, set to the role it has: never a fixed user's role.
  "PATCH /api/admin/users/[id]": adminRoute((world) =>
    patch(`/api/admin/users/${world.roleTarget.id}`, { role: "USER" }),
  ),
  "GET /api/admin/feedback/export": adminRoute(() => get("/api/admin/feedback/export?format=events")),
  "POST /api/admin/synthesis/inputs": adminRoute(
    (world) => ({
      method: "POST",
      path: `/api/admin/synthesis/inputs?kind=personas&name=${encodeURIComponent(world.unique("authz"))}.txt`,
      body: "A tide-table printer in a harbour town.\n",
    }),
    201,
  ),
  "POST /api/admin/eval/suites": adminRoute(
    (world) => ({ method: "POST", path: "/api/admin/eval/suites", body: suiteUpload(world) }),
    201,
  ),
  "GET /api/admin/eval/suites/[id]/export": adminRoute((world) => get(`/api/admin/eval/suites/${world.suite}/export`)),
  "GET /api/admin/datasets/[id]/export": adminRoute((world) =>
    get(`/api/admin/datasets/${world.dataset}/export?format=openai-sft`),
  ),
  "GET /api/admin/datasets/[id]/card": adminRoute((world) => get(`/api/admin/datasets/${world.dataset}/card`)),
  "GET /api/admin/datasets/[id]/bundle": adminRoute((world) => get(`/api/admin/datasets/${world.dataset}/bundle`)),
};

export const PAGES: Record<string, PageRow> = {
  "PAGE /": publicPage("/"),
  "PAGE /login": publicPage("/login"),
  "PAGE /signup": publicPage("/signup"),
  "PAGE /health": signedInPage("/health"),
  "PAGE /settings": signedInPage("/settings"),
  "PAGE /characters": signedInPage("/characters"),
  "PAGE /characters/explore": signedInPage("/characters/explore"),
  "PAGE /characters/import": signedInPage("/characters/import"),
  "PAGE /characters/new": signedInPage("/characters/new"),
  "PAGE /characters/[id]": { expect: ["login", 404, 200, 200], path: (world) => `/characters/${world.character}` },
  // An unlisted character: another user may read it (the private one is a 404 above) but not edit it.
  "PAGE /characters/[id]/edit": {
    expect: ["login", 403, 200, 200],
    path: (world) => `/characters/${world.unlisted}/edit`,
  },
  "PAGE /characters/[id]/versions": {
    expect: ["login", 404, 200, 200],
    path: (world) => `/characters/${world.character}/versions?a=1&b=2`,
  },
  "PAGE /chats": signedInPage("/chats"),
  "PAGE /chat/[conversationId]": {
    expect: ["login", 404, 200, 404],
    path: (world) => `/chat/${world.conversation.id}`,
  },
  "PAGE /arena": signedInPage("/arena"),
  "PAGE /arena/leaderboard": signedInPage("/arena/leaderboard"),
  "PAGE /arena/[conversationId]": {
    expect: ["login", 404, 200, 404],
    path: (world) => `/arena/${world.arena.voteReady.id}`,
  },
  "PAGE /admin": adminPage(() => "/admin"),
  "PAGE /admin/users": adminPage(() => "/admin/users"),
  "PAGE /admin/models": adminPage(() => "/admin/models"),
  "PAGE /admin/routing": adminPage(() => "/admin/routing"),
  "PAGE /admin/feedback": adminPage(() => "/admin/feedback"),
  "PAGE /admin/synthesis": adminPage(() => "/admin/synthesis"),
  "PAGE /admin/synthesis/[jobId]": adminPage((world) => `/admin/synthesis/${world.job}`),
  "PAGE /admin/curation": adminPage(() => "/admin/curation"),
  "PAGE /admin/curation/activity": adminPage(() => "/admin/curation/activity"),
  "PAGE /admin/curation/[sampleId]": adminPage((world) => `/admin/curation/${world.sample}`),
  "PAGE /admin/datasets": adminPage(() => "/admin/datasets"),
  "PAGE /admin/datasets/[id]": adminPage((world) => `/admin/datasets/${world.dataset}`),
  "PAGE /admin/eval": adminPage(() => "/admin/eval"),
  "PAGE /admin/eval/suites/[id]": adminPage((world) => `/admin/eval/suites/${world.suite}`),
  "PAGE /admin/eval/runs/[id]": adminPage((world) => `/admin/eval/runs/${world.run}`),
  "PAGE /admin/eval/compare": adminPage((world) => `/admin/eval/compare?a=${world.run}&b=${world.run}`),
};

const profile = (world: World) => ({
  profile: { name: world.unique("Authz Acted"), greeting: "Hello." },
  tags: [],
  visibility: "PRIVATE",
});
const synthesisForm = (world: World) => ({
  pipeline: "profiles",
  params: { inputId: world.input, limit: 1 },
  modelVersionId: null,
  temperature: 0.7,
  maxOutputTokens: 256,
  runners: 1,
});

export const ACTIONS: Record<string, ActionRow> = {
  // Public: signing in, up and out work the same for everyone.
  "ACTION lib/users/actions.ts#signInAction": {
    expect: ["→/chats", "→/chats", "→/chats", "→/chats"],
    call: (world) => ({
      page: "/login",
      args: new FormArgs({ email: world.roleTarget.email, password: TEST_PASSWORD, next: "/chats" }),
    }),
  },
  "ACTION lib/users/actions.ts#signUpAction": {
    expect: ["→/characters", "→/characters", "→/characters", "→/characters"],
    call: (world) => ({
      page: "/signup",
      args: new FormArgs({ name: "Authz Newcomer", email: world.newEmail(), password: TEST_PASSWORD }),
      headers: world.signUpHeaders,
    }),
  },
  "ACTION lib/users/actions.ts#signOutAction": {
    expect: ["→/login", "→/login", "→/login", "→/login"],
    call: () => ({ page: "/login", args: [] }),
  },
  "ACTION lib/users/actions.ts#setConsentAction": {
    expect: [SESSION, "ok", "ok", "ok"],
    call: async (world, as) => ({ page: "/settings", args: [await ownConsent(world, as)] }),
  },
  "ACTION lib/chat/actions.ts#savePersonaAction": {
    expect: [SESSION, "ok", "ok", "ok"],
    call: async (world, as) => ({ page: "/settings", args: [await ownPersona(world, as)] }),
  },
  "ACTION lib/users/actions.ts#deleteAccountAction": {
    expect: [SESSION, "bad_request:confirmation", "→/login?deleted=1", "bad_request:confirmation"],
    owner: freshAccount,
    call: (_world, as, who) => ({
      page: "/settings",
      args: [who === "owner" ? as.email : testUser("alice").email],
    }),
  },
  "ACTION lib/users/actions.ts#changeRoleAction": adminAction((world) => ({
    page: "/admin/users",
    args: [world.roleTarget.id, "USER"],
  })),

  "ACTION lib/characters/actions.ts#createCharacterAction": {
    expect: [SESSION, "ok", "ok", "ok"],
    call: (world) => ({ page: "/characters/new", args: [profile(world)] }),
  },
  "ACTION lib/characters/actions.ts#saveCharacterAction": {
    expect: [SESSION, "not_found:character", "ok", "ok"],
    call: async (world) => {
      const id = await world.once("saveCharacterAction", () => world.newCharacter());
      return { page: `/characters/${id}/edit`, args: [id, profile(world)] };
    },
  },
  "ACTION lib/characters/actions.ts#deleteCharacterAction": {
    expect: [SESSION, "not_found:character", "ok", "ok"],
    call: async (world) => {
      const id = await world.newCharacter();
      return { page: `/characters/${id}`, args: [id] };
    },
  },
  "ACTION lib/characters/actions.ts#forkCharacterAction": {
    expect: [SESSION, "not_found:character", "ok", "ok"],
    call: (world) => ({ page: `/characters/${world.character}`, args: [world.character] }),
  },
  "ACTION lib/characters/actions.ts#generateFromPersonaAction": {
    expect: [SESSION, "ok", "ok", "ok"],
    call: () => ({ page: "/characters/new", args: ["A lock keeper who counts every barge."] }),
  },

  "ACTION lib/chat/actions.ts#startChatAction": {
    expect: [SESSION, "not_found:character", "→/chat/", "→/chat/"],
    call: (world) => ({ page: `/characters/${world.character}`, args: [world.character] }),
  },
  "ACTION lib/chat/actions.ts#updateChatSettingsAction": {
    expect: [SESSION, "not_found:conversation", "ok", "not_found:conversation"],
    call: (world) => ({
      page: `/chat/${world.conversation.id}`,
      args: [world.conversation.id, { title: world.unique("Authz settings") }],
    }),
  },
  "ACTION lib/chat/actions.ts#deleteChatAction": {
    expect: [SESSION, "not_found:conversation", "→/chats", "not_found:conversation"],
    call: async (world) => {
      const { id } = await world.once("deleteChatAction", () => world.newChat());
      return { page: `/chat/${id}`, args: [id] };
    },
  },

  "ACTION lib/models/actions.ts#saveEndpointAction": adminAction((world) => ({
    page: "/admin/models",
    args: [null, world.endpointInput()],
  })),
  "ACTION lib/models/actions.ts#deleteEndpointAction": adminAction(async (world) => ({
    page: "/admin/models",
    args: [await world.newEndpoint()],
  })),
  "ACTION lib/models/actions.ts#registerModelAction": adminAction((world) => ({
    page: "/admin/models",
    args: [{ name: world.unique("Authz registered"), servedModelId: world.newServedId(), endpointName: "default" }],
  })),
  "ACTION lib/models/actions.ts#updateModelVersionAction": adminAction(async (world) => ({
    page: "/admin/models",
    args: [(await world.newModelVersion()).id, { notes: "Checked by the authorization matrix." }],
  })),
  "ACTION lib/models/actions.ts#setModelStatusAction": adminAction(async (world) => ({
    page: "/admin/models",
    args: [(await world.newModelVersion()).id, "RETIRED"],
  })),
  // Unloading an adapter vLLM never loaded: vLLM's refusal comes back as data, nothing changes.
  "ACTION lib/models/actions.ts#setAdapterLoadedAction": adminAction(async (world) => ({
    page: "/admin/models",
    args: [(await world.newAdapterVersion()).name, false],
  })),
  "ACTION lib/models/actions.ts#setInArenaAction": adminAction(async (world) => ({
    page: "/admin/models",
    args: [(await world.newModelVersion()).id, false],
  })),
  // The default model routes every new chat of every test; a version that does not exist shows the
  // admin got past the role check (to the domain's 404) without changing it under them.
  "ACTION lib/models/actions.ts#setDefaultModelAction": {
    expect: [SESSION, ROLE, "not_found:model_version", "not_found:model_version"],
    owner: "admin",
    call: () => ({ page: "/admin/routing", args: ["authz-no-such-version"] }),
  },
  "ACTION lib/models/actions.ts#setCharacterModelAction": adminAction(async (world) => ({
    page: "/admin/routing",
    args: [await world.newCharacter(), (await world.newModelVersion()).id],
  })),
  "ACTION lib/models/actions.ts#startExperimentAction": adminAction(async (world) => ({
    page: "/admin/routing",
    args: [
      {
        name: world.unique("Authz experiment"),
        characterId: await world.newCharacter(),
        variantAId: (await world.newModelVersion()).id,
        variantBId: (await world.newModelVersion()).id,
      },
    ],
  })),
  "ACTION lib/models/actions.ts#stopExperimentAction": adminAction(async (world) => ({
    page: "/admin/routing",
    args: [await world.newExperiment()],
  })),

  "ACTION lib/synthesis/actions.ts#previewSynthesisAction": adminAction((world) => ({
    page: "/admin/synthesis",
    args: [synthesisForm(world)],
  })),
  "ACTION lib/synthesis/actions.ts#startSynthesisAction": adminAction((world) => ({
    page: "/admin/synthesis",
    args: [synthesisForm(world)],
  })),
  "ACTION lib/synthesis/actions.ts#controlJobAction": adminAction(async (world) => {
    const job = await world.newRunningJob();
    return { page: `/admin/synthesis/${job}`, args: [job, "cancel"] };
  }),

  "ACTION lib/curation/actions.ts#reviewSampleAction": adminAction(async (world) => {
    const [sampleId] = (await world.newSamples(1)).ids;
    return { page: `/admin/curation/${sampleId}`, args: [{ sampleId, decision: "APPROVED" }] };
  }),
  "ACTION lib/curation/actions.ts#reviseSampleAction": adminAction(async (world) => {
    const [sampleId] = (await world.newSamples(1)).ids;
    return { page: `/admin/curation/${sampleId}`, args: [{ sampleId, chosen: "Every night, without fail." }] };
  }),
  "ACTION lib/curation/actions.ts#previewBulkAction": adminAction((world) => ({
    page: "/admin/curation",
    args: [{ filter: { jobId: world.sampleJob }, decision: "APPROVED" }],
  })),
  "ACTION lib/curation/actions.ts#bulkReviewAction": adminAction(async (world) => {
    const { jobId } = await world.newSamples(1);
    return {
      page: "/admin/curation",
      args: [{ filter: { jobId, state: ["NEEDS_REVIEW"] }, decision: "APPROVED", expected: 1 }],
    };
  }),
  "ACTION lib/curation/actions.ts#undoBulkAction": adminAction(async (world) => ({
    page: "/admin/curation",
    args: [await world.newBulk()],
  })),

  "ACTION lib/datasets/actions.ts#createDatasetAction": adminAction((world) => ({
    page: "/admin/datasets",
    args: [{ name: world.unique("authz").replace(/\s/g, "-"), filter: { jobId: world.sampleJob } }],
  })),
  "ACTION lib/datasets/actions.ts#previewDatasetAction": adminAction((world) => ({
    page: "/admin/datasets",
    args: [{ jobId: world.sampleJob }],
  })),

  "ACTION lib/eval/actions.ts#startEvalRunAction": adminAction((world) => ({
    page: "/admin/eval",
    args: [{ suiteId: world.suite, modelVersionId: null, judgeVersionId: null, samples: 1 }],
  })),
  "ACTION lib/eval/actions.ts#generateRegressionSuiteAction": adminAction((world) => ({
    page: "/admin/eval",
    args: [{ characterId: world.character }],
  })),
};
