// What the app exposes, read from its files when the test runs, so a route, page or server action
// added without a row in the matrix fails the test instead of going unchecked.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export type DiscoveredAction = {
  /** `ACTION lib/chat/actions.ts#startChatAction` */
  key: string;
  /** The id the build gave it (the `Next-Action` header), or null: nothing calls it, so it has no endpoint. */
  id: string | null;
  /** Pages whose client code references it, as URL patterns (`/characters/[id]`). */
  pages: string[];
};

function files(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** `app/(app)/characters/[id]/page.tsx` → `/characters/[id]`: route groups and slots are not in the URL. */
export function urlPattern(appRelativeDir: string): string {
  const segments = appRelativeDir
    .split(/[\\/]/)
    .filter((segment) => segment && segment !== "." && !/^\(.*\)$/.test(segment) && !segment.startsWith("@"));
  return `/${segments.join("/")}`;
}

/** Folders starting with `_` are private in the app router: nothing under them is routed. */
const isRouted = (appRelativeFile: string) => !appRelativeFile.split(/[\\/]/).some((part) => part.startsWith("_"));

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
}

const hasExport = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Names a module exports as values (functions, consts, `export { a, b }`), types left out. */
function exportedValues(source: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && hasExport(statement) && statement.name) {
      names.push(statement.name.text);
    } else if (ts.isVariableStatement(statement) && hasExport(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
        else if (ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            if (ts.isIdentifier(element.name)) names.push(element.name.text);
          }
        }
      }
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.exportClause) {
      if (ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) {
          if (!element.isTypeOnly) names.push(element.name.text);
        }
      }
    }
  }
  return names;
}

function isUseServerFile(source: ts.SourceFile): boolean {
  const first = source.statements[0];
  return (
    first !== undefined &&
    ts.isExpressionStatement(first) &&
    ts.isStringLiteral(first.expression) &&
    first.expression.text === "use server"
  );
}

/** Every exported HTTP method of every `app/**\/route.ts`, as `METHOD /api/path/[param]`. */
export function discoverRoutes(root: string): string[] {
  const app = path.join(root, "app");
  const keys: string[] = [];
  for (const file of files(app, (name) => /^route\.(ts|js)$/.test(name))) {
    const relative = path.relative(app, file);
    if (!isRouted(relative)) continue;
    const methods = exportedValues(parse(file)).filter((name) => HTTP_METHODS.has(name));
    if (methods.length === 0) throw new Error(`${path.relative(root, file)} exports no HTTP method`);
    for (const method of methods) keys.push(`${method} ${urlPattern(path.dirname(relative))}`);
  }
  return keys.sort();
}

/** Every `app/**\/page.tsx`, as `PAGE /path/[param]`. */
export function discoverPages(root: string): string[] {
  const app = path.join(root, "app");
  return files(app, (name) => /^page\.(tsx|ts|jsx|js)$/.test(name))
    .map((file) => path.relative(app, file))
    .filter(isRouted)
    .map((relative) => `PAGE ${urlPattern(path.dirname(relative))}`)
    .sort();
}

type ManifestEntry = { workers: Record<string, unknown>; filename?: string; exportedName?: string };

/**
 * Server actions: every export of every `"use server"` file, joined with the ids the production
 * build gave them (`.next/server/server-reference-manifest.json`). The build only gives an id to
 * an action some client component references; an export without one cannot be called at all.
 */
export function discoverActions(root: string): DiscoveredAction[] {
  const manifestFile = path.join(root, ".next", "server", "server-reference-manifest.json");
  if (!existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: build the app first`);
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, Record<string, ManifestEntry>>;
  const actions = new Map<string, DiscoveredAction>();
  const keyOf = (file: string, name: string) => `ACTION ${file}#${name}`;

  for (const dir of ["app", "lib", "components"]) {
    for (const file of files(path.join(root, dir), (name) => /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name))) {
      const source = parse(file);
      if (!isUseServerFile(source)) continue;
      const relative = path.relative(root, file).split(path.sep).join("/");
      for (const name of exportedValues(source)) {
        actions.set(keyOf(relative, name), { key: keyOf(relative, name), id: null, pages: [] });
      }
    }
  }
  for (const runtime of ["node", "edge"]) {
    for (const [id, entry] of Object.entries(manifest[runtime] ?? {})) {
      if (!entry.filename || !entry.exportedName) throw new Error(`action ${id} has no filename in the manifest`);
      const key = keyOf(entry.filename, entry.exportedName);
      const pages = Object.keys(entry.workers)
        .filter((worker) => worker.endsWith("/page") && isRouted(worker))
        .map((worker) => urlPattern(path.dirname(worker.replace(/^app\//, ""))));
      // Inline actions (a "use server" function inside a component) appear only here.
      actions.set(key, { key, id, pages });
    }
  }
  return [...actions.values()].sort((a, b) => a.key.localeCompare(b.key));
}
