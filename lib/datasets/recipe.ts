// The training recipe shipped with a TRL-format dataset version: `train_lora.py`, which fine-tunes a
// LoRA adapter on the bundle's train.jsonl / validation.jsonl, and a README saying what is in the
// bundle, how to run it, where each number comes from, and how to serve and register the adapter.
// Pure: the bundle writer puts both strings next to the data.

export type RecipeFormat = "trl-sft" | "trl-dpo" | "trl-kto";

export type RecipeInput = {
  /** The dataset version's id, recorded on the model version registered from it. */
  id: string;
  name: string;
  version: number;
  format: RecipeFormat;
  /** Lines in train.jsonl and validation.jsonl (a trl-sft sample may have become several). */
  train: number;
  validation: number;
};

export const DEFAULT_BASE_MODEL = "Qwen/Qwen2.5-0.5B-Instruct";

/** One source for the numbers in the script and the README's table. */
export const HYPERPARAMETERS = {
  learningRate: 1e-5,
  finalLearningRate: 1e-6,
  beta: 0.1,
  loraRank: 16,
  loraAlpha: 32,
  loraDropout: 0.05,
  epochs: 1,
  batchSize: 4,
  gradientAccumulation: 4,
  maxLength: 2048,
} as const;

const TRAINERS: Record<RecipeFormat, { trainer: string; config: string; rows: string }> = {
  "trl-sft": {
    trainer: "SFTTrainer",
    config: "SFTConfig",
    rows:
      "conversational prompt–completion rows. TRL computes the loss on the completion only for such rows " +
      "(`SFTConfig.completion_only_loss` defaults to it), so only the character's answers are trained. " +
      "A dialogue whose every answer is trainable was split into one row per answer, each with the turns before it.",
  },
  "trl-dpo": {
    trainer: "DPOTrainer",
    config: "DPOConfig",
    rows: "conversational preference rows with an explicit prompt: `prompt`, `chosen`, `rejected`.",
  },
  "trl-kto": {
    trainer: "KTOTrainer",
    config: "KTOConfig",
    rows:
      "conversational unpaired preference rows: `prompt`, `completion`, `label` (true = desirable). " +
      "If one label far outnumbers the other, set `desirable_weight` / `undesirable_weight` in `KTOConfig`.",
  },
};

/** vLLM caches adapters by name, so Troupe wants an immutable versioned one (`char-aria-v3`). */
export function adapterName(name: string, version: number): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `${slug || "dataset"}-v${version}`;
}

const shellQuote = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`);
/** Python float literals the way a person writes them (1e-5, 0.1). */
const py = (value: number) => (value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential() : String(value));

function script({ name, version, format, validation }: RecipeInput): string {
  const { trainer, config } = TRAINERS[format];
  const h = HYPERPARAMETERS;
  const hasValidation = validation > 0;
  const trainerImport =
    format === "trl-kto"
      ? [
          "try:",
          "    from trl import KTOConfig, KTOTrainer",
          "except ImportError:  # TRL releases that kept KTO under trl.experimental",
          "    from trl.experimental.kto import KTOConfig, KTOTrainer",
        ].join("\n")
      : `from trl import ${config}, ${trainer}`;
  const dataFiles = hasValidation
    ? '{"train": "train.jsonl", "validation": "validation.jsonl"}'
    : '{"train": "train.jsonl"}';
  return `#!/usr/bin/env python3
"""Fine-tune a LoRA adapter on the Troupe dataset ${JSON.stringify(`${name} v${version}`)} (${format}) with TRL. See README.md."""
import argparse

import torch
from datasets import load_dataset
from peft import LoraConfig
from transformers import AutoModelForCausalLM, AutoTokenizer
${trainerImport}

# Where each number comes from: README.md.
LEARNING_RATE = ${py(h.learningRate)}
FINAL_LEARNING_RATE = ${py(h.finalLearningRate)}
${format === "trl-sft" ? "" : `BETA = ${py(h.beta)}\n`}LORA_RANK = ${h.loraRank}
LORA_ALPHA = ${h.loraAlpha}
LORA_DROPOUT = ${py(h.loraDropout)}
BATCH_SIZE = ${h.batchSize}
GRADIENT_ACCUMULATION = ${h.gradientAccumulation}
MAX_LENGTH = ${h.maxLength}

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--model", default=${JSON.stringify(DEFAULT_BASE_MODEL)}, help="base model: a Hugging Face id or a local path")
parser.add_argument("--output-dir", default="adapter", help="where the LoRA adapter is saved")
parser.add_argument("--epochs", type=float, default=${h.epochs})
args = parser.parse_args()

data = load_dataset("json", data_files=${dataFiles})
bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
tokenizer = AutoTokenizer.from_pretrained(args.model)
if tokenizer.pad_token is None:
    tokenizer.pad_token = tokenizer.eos_token
model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.bfloat16 if bf16 else torch.float32)

config = ${config}(
    output_dir=args.output_dir,
    num_train_epochs=args.epochs,
    per_device_train_batch_size=BATCH_SIZE,
    gradient_accumulation_steps=GRADIENT_ACCUMULATION,
    learning_rate=LEARNING_RATE,
    # A polynomial decay of power 1 is a straight line from LEARNING_RATE to lr_end at the last step.
    lr_scheduler_type="polynomial",
    lr_scheduler_kwargs={"lr_end": FINAL_LEARNING_RATE, "power": 1.0},
${format === "trl-sft" ? "" : "    beta=BETA,\n"}    max_length=MAX_LENGTH,
    bf16=bf16,
    logging_steps=10,
    eval_strategy=${hasValidation ? '"epoch"' : '"no"'},
    save_strategy="no",
    report_to="none",
)
trainer = ${trainer}(
    model=model,
    args=config,
    train_dataset=data["train"],
${hasValidation ? '    eval_dataset=data["validation"],\n' : ""}    processing_class=tokenizer,
    peft_config=LoraConfig(
        r=LORA_RANK,
        lora_alpha=LORA_ALPHA,
        lora_dropout=LORA_DROPOUT,
        target_modules="all-linear",
        task_type="CAUSAL_LM",
    ),
)
trainer.train()
trainer.save_model(args.output_dir)
print(f"LoRA adapter saved to {args.output_dir}")
`;
}

function readme(input: RecipeInput): string {
  const { id, name, version, format, train, validation } = input;
  const { trainer, rows } = TRAINERS[format];
  const h = HYPERPARAMETERS;
  const adapter = adapterName(name, version);
  const versionName = shellQuote(`${name} v${version}`);
  const adapterPath = `/srv/troupe/adapters/${adapter}`;
  const validationLine =
    validation > 0
      ? `- \`validation.jsonl\` — ${validation} rows, evaluated after each epoch.`
      : "- `validation.jsonl` — empty: this version has no validation split, so the script trains without evaluation.";
  const lossRow =
    format === "trl-sft"
      ? "| Loss | the character's answers only | OpenCharacter trains on assistant tokens only; prompt–completion rows do exactly that |\n"
      : `| Loss | the completions only | how \`${trainer}\` scores a row; the prompt, earlier answers included, is context |\n`;
  const betaRow =
    format === "trl-sft" ? "" : `| β | ${h.beta} | TRL's default for \`${TRAINERS[format].config}.beta\` |\n`;
  return `# ${name} v${version} — ${format}

A Troupe dataset version for [TRL](https://huggingface.co/docs/trl)'s \`${trainer}\`, with a script that trains a
LoRA adapter on it.

## In this bundle

- \`train.jsonl\` — ${train} rows: ${rows}
${validationLine}
- \`train_lora.py\` — the training script.
- \`README.md\` — this file.

## Train

\`\`\`sh
pip install "trl>=0.23,<2" "peft>=0.17" "transformers>=4.56" "datasets>=3" "accelerate>=1.4" torch
python train_lora.py --model ${DEFAULT_BASE_MODEL} --output-dir adapter
\`\`\`

\`--model\` takes any causal LM with a chat template (a Hugging Face id or a local path); \`--epochs\` overrides the
epoch count. bf16 is used when the GPU supports it. The adapter (\`adapter_config.json\`,
\`adapter_model.safetensors\`) and the tokenizer are saved to \`adapter/\`.

| Setting | Value | Where it comes from |
|---|---|---|
| Learning rate | ${py(h.learningRate)}, decaying linearly to ${py(h.finalLearningRate)} | OpenCharacter (Wang et al., arXiv 2501.15427), whose models were fully fine-tuned; LoRA often trains better at ~1e-4 — raise \`LEARNING_RATE\` in the script, keeping \`FINAL_LEARNING_RATE\` below it |
${lossRow}${betaRow}| LoRA | rank ${h.loraRank}, α ${h.loraAlpha}, dropout ${h.loraDropout}, all linear layers | Troupe's defaults; rank ${h.loraRank} is vLLM's default \`--max-lora-rank\` |
| Batch | ${h.batchSize} per device × ${h.gradientAccumulation} accumulation steps | Troupe's default |
| Epochs | ${h.epochs} | Troupe's default |
| Max length | ${h.maxLength} tokens | Troupe's default; longer rows are truncated |

## Serve and register in Troupe

Copy \`adapter/\` to where the vLLM server can read it, for example \`${adapterPath}\`,
and serve it on the base model it was trained on:

\`\`\`sh
vllm serve ${DEFAULT_BASE_MODEL} --enable-lora --max-lora-rank ${h.loraRank} --lora-modules ${adapter}=${adapterPath}
\`\`\`

Or load it into a running server: start vLLM with \`--enable-lora\` and \`VLLM_ALLOW_RUNTIME_LORA_UPDATING=True\`,
register the adapter below, then \`npx troupe models load ${versionName}\`.

Register it so users can chat with it (add \`--endpoint <name>\` when the server is not Troupe's default endpoint):

\`\`\`sh
npx troupe models register --name ${versionName} --model ${adapter} --adapter-path ${adapterPath} --base ${DEFAULT_BASE_MODEL} --dataset ${id}
\`\`\`

The served name \`${adapter}\` is immutable and versioned: a new training run gets a new version, never the same name.
`;
}

/** The README and `train_lora.py` for a TRL-format dataset version. */
export function trainingRecipe(input: RecipeInput): { readme: string; script: string } {
  return { readme: readme(input), script: script(input) };
}
