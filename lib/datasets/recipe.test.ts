import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerModelsCommands } from "@/lib/cli/models";
import { isVersionedAdapterName } from "@/lib/models/vllm-admin";
import { adapterName, DEFAULT_BASE_MODEL, HYPERPARAMETERS, type RecipeFormat, trainingRecipe } from "./recipe";

const recipe = (format: RecipeFormat, validation = 40) =>
  trainingRecipe({ id: "cmdataset0001", name: "Maren's Lighthouse", version: 3, format, train: 960, validation });

/** The `troupe models <name>` subcommand as the CLI defines it. */
function modelsSubcommand(name: string): Command {
  const program = new Command("troupe");
  registerModelsCommands(program);
  const models = program.commands.find((command) => command.name() === "models");
  const sub = models?.commands.find((command) => command.name() === name);
  if (!sub) throw new Error(`no "troupe models ${name}" command`);
  return sub;
}

/** Splits a one-line shell command the way sh would (single quotes only, which is all the README uses). */
const shellWords = (line: string) =>
  [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map(
    ([, quoted, bare]) => quoted?.replaceAll("'\\''", "'") ?? (bare as string),
  );

const pythonAvailable = spawnSync("python3", ["--version"]).status === 0;

describe("trainingRecipe", () => {
  it.each([
    ["trl-sft", "SFTTrainer", "SFTConfig"],
    ["trl-dpo", "DPOTrainer", "DPOConfig"],
    ["trl-kto", "KTOTrainer", "KTOConfig"],
  ] as const)("trains %s with %s", (format, trainer, config) => {
    const { script, readme } = recipe(format);
    expect(script).toContain(`trainer = ${trainer}(`);
    expect(script).toContain(`config = ${config}(`);
    for (const other of ["SFTTrainer", "DPOTrainer", "KTOTrainer"].filter((name) => name !== trainer)) {
      expect(script).not.toContain(other);
    }
    expect(readme).toContain(`\`${trainer}\``);
  });

  it("uses the method's numbers: 1e-5 decaying linearly to 1e-6, β 0.1 for the preference trainers", () => {
    for (const format of ["trl-sft", "trl-dpo", "trl-kto"] as const) {
      const { script } = recipe(format);
      expect(script).toContain("LEARNING_RATE = 1e-5\n");
      expect(script).toContain("FINAL_LEARNING_RATE = 1e-6\n");
      expect(script).toContain('lr_scheduler_type="polynomial"');
      expect(script).toContain('lr_scheduler_kwargs={"lr_end": FINAL_LEARNING_RATE, "power": 1.0}');
      expect(script).toContain(`default=${JSON.stringify(DEFAULT_BASE_MODEL)}`);
      expect(script).toContain(
        'load_dataset("json", data_files={"train": "train.jsonl", "validation": "validation.jsonl"})',
      );
      expect(script.includes("BETA = 0.1\n")).toBe(format !== "trl-sft");
    }
    expect(HYPERPARAMETERS.finalLearningRate).toBeLessThan(HYPERPARAMETERS.learningRate);
  });

  it("tells how many rows the bundle holds, and trains without evaluation when there is no validation split", () => {
    expect(recipe("trl-sft").readme).toContain("`train.jsonl` — 960 rows");
    expect(recipe("trl-sft").readme).toContain("`validation.jsonl` — 40 rows");
    const { script, readme } = recipe("trl-dpo", 0);
    expect(script).toContain('data_files={"train": "train.jsonl"}');
    expect(script).toContain('eval_strategy="no"');
    expect(script).not.toContain("eval_dataset");
    expect(readme).toContain("no validation split");
  });

  it.skipIf(!pythonAvailable)("writes a script Python compiles", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "recipe-"));
    const files = (["trl-sft", "trl-dpo", "trl-kto"] as const).flatMap((format) =>
      [0, 5].map((validation) => {
        const file = path.join(dir, `${format}-${validation}.py`);
        writeFileSync(file, recipe(format, validation).script);
        return file;
      }),
    );
    const check = "import ast, sys\nfor name in sys.argv[1:]:\n    ast.parse(open(name).read(), name)";
    const result = spawnSync("python3", ["-c", check, ...files], { encoding: "utf8" });
    rmSync(dir, { recursive: true });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("registers the adapter with flags `troupe models register` really has, under a versioned adapter name", () => {
    const { readme } = recipe("trl-kto");
    const line = readme.split("\n").find((text) => text.startsWith("npx troupe models register "));
    expect(line).toBeDefined();
    const words = shellWords(line as string).slice(4);
    const register = modelsSubcommand("register");
    const known = new Set(register.options.map((option) => option.long));
    const used = words.filter((word) => word.startsWith("--"));
    for (const flag of used) expect(known).toContain(flag);
    for (const option of register.options.filter((candidate) => candidate.mandatory))
      expect(used).toContain(option.long);
    const value = (flag: string) => words[words.indexOf(flag) + 1];
    expect(value("--name")).toBe("Maren's Lighthouse v3");
    expect(value("--model")).toBe("marens-lighthouse-v3");
    expect(isVersionedAdapterName(value("--model") as string)).toBe(true);
    expect(value("--base")).toBe(DEFAULT_BASE_MODEL);
    expect(value("--dataset")).toBe("cmdataset0001");
    expect(readme).toContain("--lora-modules marens-lighthouse-v3=");
    expect(readme).toContain(`npx troupe models load 'Maren'\\''s Lighthouse v3'`);
    expect(modelsSubcommand("load").registeredArguments).toHaveLength(1);
  });

  it("derives adapter names vLLM and the registry accept from any dataset name", () => {
    expect(adapterName("Ärger im Café — Nº 5", 12)).toBe("arger-im-cafe-no-5-v12");
    expect(adapterName("***", 1)).toBe("dataset-v1");
    for (const name of ["Ärger im Café — Nº 5", "***", "Aria", "  spaced  out  "]) {
      expect(isVersionedAdapterName(adapterName(name, 7))).toBe(true);
    }
  });
});
