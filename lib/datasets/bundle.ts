import "server-only";
// The training bundle as one streamed zip: train.jsonl and validation.jsonl in a TRL format, the
// dataset card, and the LoRA recipe (README.md + train_lora.py). The JSONL is compressed as it is
// read, so a version of any size downloads with flat memory.
import { Zip, ZipDeflate } from "fflate";
import { exportDatasetVersion, getDatasetVersion } from "./queries";
import { type RecipeFormat, trainingRecipe } from "./recipe";

export async function* datasetBundle(id: string, format: RecipeFormat): AsyncGenerator<Uint8Array> {
  const version = await getDatasetVersion(id);
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else out.push(chunk);
  });
  const encoder = new TextEncoder();
  const drain = function* () {
    if (failure) throw failure;
    while (out.length > 0) yield out.shift() as Uint8Array;
  };
  const lines: Record<string, number> = {};
  for (const split of ["train", "validation"] as const) {
    const file = new ZipDeflate(`${split}.jsonl`, { level: 6 });
    zip.add(file);
    let count = 0;
    for await (const chunk of exportDatasetVersion(id, format, split)) {
      for (let index = chunk.indexOf("\n"); index !== -1; index = chunk.indexOf("\n", index + 1)) count++;
      file.push(encoder.encode(chunk));
      yield* drain();
    }
    file.push(new Uint8Array(0), true);
    lines[split] = count;
    yield* drain();
  }
  const recipe = trainingRecipe({
    id: version.id,
    name: version.name,
    version: version.version,
    format,
    train: lines.train ?? 0,
    validation: lines.validation ?? 0,
  });
  for (const [name, text] of [
    ["README.md", recipe.readme],
    ["train_lora.py", recipe.script],
    ["dataset_card.md", version.card],
  ] as const) {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    file.push(encoder.encode(text), true);
  }
  zip.end();
  yield* drain();
}
