// The authorization matrix: every route handler method, page and server action the app has
// (found in its files and the build's action manifest) × {anonymous, another user, the owner, an
// admin}, each answered over real HTTP and compared with its row in e2e/authz/matrix.ts.
//
// Anonymous is asked twice on pages and actions: with no cookie (the proxy answers first in the
// signed-in areas) and with the session of an account deleted since it signed in, which the proxy
// lets through, so each page's and action's own check is what answers.
import { expect, test } from "@playwright/test";
import { ERROR_STATUS, type ErrorType } from "../lib/errors";
import { APP_PORTS } from "../playwright.config";
import { type ActionAnswer, type Answer, callAction, type Session, send } from "./authz/client";
import { type DiscoveredAction, discoverActions, discoverPages, discoverRoutes } from "./authz/discover";
import { World } from "./authz/fixtures";
import {
  ACTIONS,
  type ActionOutcome,
  IDENTITIES,
  type Identity,
  type Owner,
  PAGES,
  type PageOutcome,
  ROUTES,
  type RouteOutcome,
} from "./authz/matrix";

const BASE = `http://127.0.0.1:${APP_PORTS.connected}`;
const root = process.cwd();
/** The owner acts last, so a row's shared entity is still untouched when the others are refused. */
const ORDER: Identity[] = ["anonymous", "other", "admin", "owner"];

function surface() {
  const actions = discoverActions(root);
  return {
    routes: discoverRoutes(root),
    pages: discoverPages(root),
    actions: new Map(actions.map((action) => [action.key, action])),
  };
}

async function sessionFor(world: World, who: Identity, owner: Owner = "alice"): Promise<Session> {
  if (who === "anonymous") return world.anonymous;
  if (who === "other") return world.bob;
  if (who === "admin") return world.admin;
  if (owner === "alice") return world.alice;
  if (owner === "admin") return world.admin;
  return owner(world);
}

const pathOf = (location: string | null) => {
  if (!location) return "";
  const url = new URL(location, BASE);
  return `${url.pathname}${url.search}`;
};
const loginFor = (next: string) => `/login?next=${encodeURIComponent(next)}`;

function describeAnswer(answer: Answer): string {
  const location = answer.location ? ` →${pathOf(answer.location)}` : "";
  return `${answer.status}${location}${answer.code ? ` ${answer.code}` : ""}`;
}

/** A refusal must use the shared error shape, with a code whose type is the status's. */
function routeMatches(expected: RouteOutcome, answer: Answer): boolean {
  if (typeof expected === "string") {
    const [status, target] = expected.split(" →");
    return String(answer.status) === status && pathOf(answer.location) === target;
  }
  if (answer.status !== expected) return false;
  if (expected < 400) return true;
  const type = answer.code?.split(":")[0] as ErrorType | undefined;
  return type !== undefined && ERROR_STATUS[type] === expected;
}

function pageMatches(expected: PageOutcome, answer: Answer, loginNext: string): boolean {
  if (expected === "login") return answer.status === 307 && pathOf(answer.location) === loginFor(loginNext);
  if (typeof expected === "string") return answer.status === 307 && pathOf(answer.location) === expected.slice(1);
  return answer.status === expected;
}

function actionOutcome(answer: ActionAnswer): string {
  if (answer.redirect !== null) return `→${answer.redirect}`;
  if (answer.result) return answer.result.ok ? "ok" : (answer.result.error?.code ?? "not ok, no code");
  return answer.threw ? `threw (HTTP ${answer.status})` : `HTTP ${answer.status}, no result`;
}

function actionMatches(expected: ActionOutcome, outcome: string): boolean {
  return expected.startsWith("→") ? outcome.startsWith(expected) : outcome === expected;
}

/** `/characters/[id]/edit` → a pattern for `/characters/<anything>/edit`. */
const pagePattern = (page: string) =>
  new RegExp(`^${page.replace(/\[\.\.\.[^\]]+\]/g, ".+").replace(/\[[^\]]+\]/g, "[^/]+")}$`);

test("every route handler, page and server action has a row in the matrix, and every row still exists", () => {
  const { routes, pages, actions } = surface();
  const discovered = [...routes, ...pages, ...actions.keys()];
  const rows = [...Object.keys(ROUTES), ...Object.keys(PAGES), ...Object.keys(ACTIONS)];
  expect(
    discovered.filter((key) => !rows.includes(key)),
    "found in the app but missing from e2e/authz/matrix.ts",
  ).toEqual([]);
  expect(
    rows.filter((key) => !discovered.includes(key)),
    "in e2e/authz/matrix.ts but no longer in the app",
  ).toEqual([]);
  const wrong: string[] = [];
  for (const [key, row] of Object.entries(ACTIONS)) {
    const action = actions.get(key);
    if (!action) continue;
    if ("unreachable" in row && action.id) wrong.push(`${key} now has an action id: give it a row of outcomes`);
    if (!("unreachable" in row) && !action.id) {
      wrong.push(`${key} has no action id (no client code references it), so it cannot be called: mark it unreachable`);
    }
  }
  expect(wrong).toEqual([]);
});

test("an action id that does not exist is refused without a server error", async () => {
  for (const id of ["7f".repeat(21), "not-an-action-id"]) {
    const answer = await callAction(BASE, { name: "anonymous", cookie: null }, id, { page: "/login", args: [] });
    expect(answer.status, `action id ${id}`).toBeGreaterThanOrEqual(400);
    expect(answer.status, `action id ${id}`).toBeLessThan(500);
    expect(answer.result).toBeNull();
  }
  expect((await send(BASE, { name: "anonymous", cookie: null }, { method: "GET", path: "/api/health" })).status).toBe(
    200,
  );
});

test("the sign-in and sign-up actions refuse an argument that is not their form", async () => {
  const { actions } = surface();
  for (const [key, page] of [
    ["ACTION lib/users/actions.ts#signInAction", "/login"],
    ["ACTION lib/users/actions.ts#signUpAction", "/signup"],
  ] as const) {
    const id = actions.get(key)?.id;
    expect(id, key).toBeTruthy();
    const answer = await callAction(BASE, { name: "anonymous", cookie: null }, id ?? "", {
      page,
      args: [null, { email: "someone@example.com", password: "not a form" }],
    });
    expect(answer.result?.error?.code, key).toBe("bad_request:validation");
  }
});

test("every route handler, page and server action answers each identity as its row says", async ({ browser }) => {
  test.setTimeout(10 * 60_000);
  const started = performance.now();
  const { routes, pages, actions } = surface();
  const world = new World(BASE, actions);
  await test.step("fixtures", () => world.create(browser));
  let checks = 0;
  let requests = 0;

  await test.step("route handlers", async () => {
    const wrong: string[] = [];
    try {
      for (const [key, row] of Object.entries(ROUTES)) {
        if (!routes.includes(key)) continue;
        for (const who of ORDER) {
          const expected = row.expect[IDENTITIES.indexOf(who)] as RouteOutcome;
          const as = await sessionFor(world, who, row.owner);
          const answer = await send(BASE, as, await row.request(world, as, who));
          checks += 1;
          requests += 1;
          if (!routeMatches(expected, answer)) {
            wrong.push(
              `${key} as ${who}: expected ${expected}, got ${describeAnswer(answer)} ${answer.text.slice(0, 200)}`,
            );
          }
        }
      }
    } finally {
      await world.leaveArena();
    }
    expect.soft(wrong, "route handlers").toEqual([]);
  });

  await test.step("pages", async () => {
    const wrong: string[] = [];
    for (const [key, row] of Object.entries(PAGES)) {
      if (!pages.includes(key)) continue;
      const path = row.path(world);
      for (const who of ORDER) {
        const expected = row.expect[IDENTITIES.indexOf(who)] as PageOutcome;
        const probes: [Session, string][] =
          who === "anonymous"
            ? [
                [world.anonymous, path],
                // A page's own guard names its path without the query.
                [world.signedOut, row.signedOutNext ?? path.split("?")[0] ?? path],
              ]
            : [[await sessionFor(world, who, row.owner), path]];
        checks += 1;
        for (const [as, loginNext] of probes) {
          const answer = await send(BASE, as, { method: "GET", path });
          requests += 1;
          if (!pageMatches(expected, answer, loginNext)) {
            const expectation = expected === "login" ? `→${loginFor(loginNext)}` : expected;
            wrong.push(`${key} as ${who} (${as.name}): expected ${expectation}, got ${describeAnswer(answer)}`);
          }
        }
      }
    }
    expect.soft(wrong, "pages").toEqual([]);
  });

  await test.step("server actions", async () => {
    const wrong: string[] = [];
    for (const [key, row] of Object.entries(ACTIONS)) {
      const action = actions.get(key) as DiscoveredAction | undefined;
      if (!action?.id || "unreachable" in row) continue;
      for (const who of ORDER) {
        const expected = row.expect[IDENTITIES.indexOf(who)] as ActionOutcome;
        const sessions =
          who === "anonymous" ? [world.anonymous, world.signedOut] : [await sessionFor(world, who, row.owner)];
        checks += 1;
        for (const as of sessions) {
          const call = await row.call(world, as, who);
          const pathname = call.page.split("?")[0] ?? call.page;
          if (!action.pages.some((page) => pagePattern(page).test(pathname))) {
            wrong.push(`${key}: posted to ${call.page}, which does not reference it (${action.pages.join(", ")})`);
          }
          const outcome = actionOutcome(await callAction(BASE, as, action.id, call));
          requests += 1;
          // Without a cookie the proxy turns the caller away from a signed-in area before the action runs.
          const turnedAway =
            as === world.anonymous && expected.startsWith("unauthorized:") && outcome === `→${loginFor(call.page)}`;
          if (!actionMatches(expected, outcome) && !turnedAway) {
            wrong.push(`${key} as ${who} (${as.name}): expected ${expected}, got ${outcome}`);
          }
        }
      }
    }
    expect.soft(wrong, "server actions").toEqual([]);
  });

  const reachable = [...actions.values()].filter((action) => action.id).length;
  const summary =
    `authz matrix: ${routes.length} routes, ${reachable} actions (${actions.size - reachable} unreachable), ` +
    `${pages.length} pages × ${IDENTITIES.length} identities = ${checks} checks, ${requests} requests, ` +
    `${Math.round((performance.now() - started) / 1000)} s`;
  console.log(summary);
  test.info().annotations.push({ type: "authz matrix", description: summary });
});
