"use server";
// The admin's synthesis forms. Every action checks for an admin itself.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionResult, runAction } from "@/lib/actions";
import { requireRole } from "@/lib/auth/session";
import { parseWith } from "@/lib/http";
import { controlJob } from "./jobs";
import { PIPELINE_NAMES, type PipelineName } from "./pipelines";
import { previewSynthesis, startSynthesis } from "./service";

const formSchema = z.object({
  pipeline: z.enum(PIPELINE_NAMES as [PipelineName, ...PipelineName[]]),
  params: z.record(z.string(), z.unknown()),
  modelVersionId: z.string().max(64).nullable(),
  temperature: z.number().min(0).max(2),
  maxOutputTokens: z.number().int().min(16).max(8192),
  runners: z.number().int().min(1).max(16).default(1),
});

export async function previewSynthesisAction(input: unknown) {
  return runAction(async () => {
    const form = parseWith(formSchema, input);
    await requireRole("ADMIN");
    return previewSynthesis(form.pipeline, form.params);
  });
}

export async function startSynthesisAction(input: unknown): Promise<ActionResult<{ id: string; total: number }>> {
  return runAction(async () => {
    const form = parseWith(formSchema, input);
    const admin = await requireRole("ADMIN");
    const job = await startSynthesis({
      pipeline: form.pipeline,
      params: form.params,
      modelVersionId: form.modelVersionId,
      sampling: { temperature: form.temperature, maxOutputTokens: form.maxOutputTokens },
      createdById: admin.id,
      runners: form.runners,
    });
    revalidatePath("/admin/synthesis");
    return { id: job.id, total: job.total };
  });
}

export async function controlJobAction(id: string, action: string) {
  return runAction(async () => {
    const jobId = parseWith(z.string().min(1).max(64), id);
    const verb = parseWith(z.enum(["pause", "resume", "cancel"]), action);
    await requireRole("ADMIN");
    await controlJob(jobId, verb);
    if (verb === "resume") {
      const { enqueue } = await import("@/lib/jobs/queue");
      await enqueue("synthesis:run_job", { jobId });
    }
    revalidatePath(`/admin/synthesis/${jobId}`);
    return undefined;
  });
}
