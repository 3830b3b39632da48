"use server";
// The evaluation pages' forms. Every action checks for an admin itself.
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions";
import { requireRole } from "@/lib/auth/session";
import { parseWith } from "@/lib/http";
import { regressionSuiteSchema, startEvalRunSchema } from "./forms";
import { generateRegressionSuite } from "./queries";
import { startEvalRun } from "./run";

export async function startEvalRunAction(input: unknown) {
  return runAction(async () => {
    const form = parseWith(startEvalRunSchema, input);
    const admin = await requireRole("ADMIN");
    const run = await startEvalRun({ ...form, createdById: admin.id });
    revalidatePath("/admin/eval");
    revalidatePath(`/admin/eval/suites/${run.suiteId}`);
    return { id: run.id, jobId: run.jobId };
  });
}

/** A regression suite from the character's current version (a new version of the suite if it exists). */
export async function generateRegressionSuiteAction(input: unknown) {
  return runAction(async () => {
    const { characterId } = parseWith(regressionSuiteSchema, input);
    const admin = await requireRole("ADMIN");
    const suite = await generateRegressionSuite(characterId, admin.id);
    revalidatePath("/admin/eval");
    return { id: suite.id, name: suite.name, version: suite.version, items: suite.itemCount };
  });
}
