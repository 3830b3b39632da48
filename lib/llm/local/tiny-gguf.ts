// Test support (imported only by tests): writes a tiny llama-architecture GGUF v3 model with random
// weights, so the local engine is tested on a real file without downloading one. The vocabulary is
// a SentencePiece-style one: the ChatML special tokens, all 256 byte-fallback tokens (any text
// tokenizes) and printable ASCII. Output rows of control and byte tokens are zero, so sampled text
// is printable ASCII and the model practically never ends a reply by itself: tests end it with
// maxOutputTokens, stop sequences or a grammar. Same seed, same bytes.
import { writeFile } from "node:fs/promises";

const EMBED = 64;
const LAYERS = 2;
const FFN = 128;
const HEADS = 4;
const KV_HEADS = 2;
const HEAD_DIM = EMBED / HEADS;
const TRAIN_CONTEXT = 2048;
const ALIGNMENT = 32;
/** Standard deviation of a printable token's logit: wide enough that an end token scores far below. */
const LOGIT_SPREAD = 3;

const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

// GGUF value types and llama.cpp token types.
const T = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9 } as const;
const TOKEN = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const;
const GGML_F32 = 0;

type MetaValue =
  | { u32: number }
  | { f32: number }
  | { bool: boolean }
  | { str: string }
  | { strings: string[] }
  | { f32s: number[] }
  | { i32s: number[] };

export type TinyGgufInfo = {
  bytes: number;
  vocabSize: number;
  trainContextLength: number;
  /** Token ids of the ChatML markers. */
  imStart: number;
  imEnd: number;
};

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vocabulary() {
  const tokens: string[] = [];
  const types: number[] = [];
  const add = (text: string, type: number) => {
    tokens.push(text);
    types.push(type);
    return tokens.length - 1;
  };
  add("<unk>", TOKEN.UNKNOWN);
  const bos = add("<s>", TOKEN.CONTROL);
  add("</s>", TOKEN.CONTROL);
  const imStart = add("<|im_start|>", TOKEN.CONTROL);
  const imEnd = add("<|im_end|>", TOKEN.CONTROL);
  for (let byte = 0; byte < 256; byte++) {
    add(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`, TOKEN.BYTE);
  }
  add("\u2581", TOKEN.NORMAL); // SentencePiece's word-boundary space
  for (let code = 0x21; code <= 0x7e; code++) add(String.fromCharCode(code), TOKEN.NORMAL);
  // SentencePiece merges by score; single characters need no merges, so any order works.
  const scores = tokens.map((_, index) => (types[index] === TOKEN.NORMAL ? -index : 0));
  return { tokens, types, scores, bos, imStart, imEnd };
}

class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
  u32(value: number): void {
    const chunk = Buffer.alloc(4);
    chunk.writeUInt32LE(value);
    this.push(chunk);
  }
  i32(value: number): void {
    const chunk = Buffer.alloc(4);
    chunk.writeInt32LE(value);
    this.push(chunk);
  }
  u64(value: number): void {
    const chunk = Buffer.alloc(8);
    chunk.writeBigUInt64LE(BigInt(value));
    this.push(chunk);
  }
  f32(value: number): void {
    const chunk = Buffer.alloc(4);
    chunk.writeFloatLE(value);
    this.push(chunk);
  }
  str(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    if (pad) this.push(Buffer.alloc(pad));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

function writeValue(out: ByteWriter, value: MetaValue): void {
  if ("u32" in value) {
    out.u32(T.UINT32);
    out.u32(value.u32);
  } else if ("f32" in value) {
    out.u32(T.FLOAT32);
    out.f32(value.f32);
  } else if ("bool" in value) {
    out.u32(T.BOOL);
    out.push(Buffer.from([value.bool ? 1 : 0]));
  } else if ("str" in value) {
    out.u32(T.STRING);
    out.str(value.str);
  } else if ("strings" in value) {
    out.u32(T.ARRAY);
    out.u32(T.STRING);
    out.u64(value.strings.length);
    for (const item of value.strings) out.str(item);
  } else if ("f32s" in value) {
    out.u32(T.ARRAY);
    out.u32(T.FLOAT32);
    out.u64(value.f32s.length);
    for (const item of value.f32s) out.f32(item);
  } else {
    out.u32(T.ARRAY);
    out.u32(T.INT32);
    out.u64(value.i32s.length);
    for (const item of value.i32s) out.i32(item);
  }
}

type Tensor = { name: string; dims: number[]; data: Float32Array };

function tensors(random: () => number, vocabTypes: number[]): Tensor[] {
  const uniform = (dims: number[], scale: number): Float32Array => {
    const data = new Float32Array(dims.reduce((product, dim) => product * dim, 1));
    for (let index = 0; index < data.length; index++) data[index] = (random() * 2 - 1) * scale;
    return data;
  };
  const ones = (size: number) => new Float32Array(size).fill(1);
  // ggml order: dims[0] is the row length (a matrix's input features).
  const matrix = (name: string, inputs: number, outputs: number): Tensor => ({
    name,
    dims: [inputs, outputs],
    data: uniform([inputs, outputs], 1 / Math.sqrt(inputs)),
  });
  const vocab = vocabTypes.length;
  const output = uniform([EMBED, vocab], LOGIT_SPREAD * Math.sqrt(3 / EMBED));
  vocabTypes.forEach((type, token) => {
    if (type !== TOKEN.NORMAL) output.fill(0, token * EMBED, (token + 1) * EMBED);
  });
  const list: Tensor[] = [
    { name: "token_embd.weight", dims: [EMBED, vocab], data: uniform([EMBED, vocab], 1) },
    { name: "output_norm.weight", dims: [EMBED], data: ones(EMBED) },
    { name: "output.weight", dims: [EMBED, vocab], data: output },
  ];
  for (let layer = 0; layer < LAYERS; layer++) {
    const prefix = `blk.${layer}`;
    list.push(
      { name: `${prefix}.attn_norm.weight`, dims: [EMBED], data: ones(EMBED) },
      matrix(`${prefix}.attn_q.weight`, EMBED, HEADS * HEAD_DIM),
      matrix(`${prefix}.attn_k.weight`, EMBED, KV_HEADS * HEAD_DIM),
      matrix(`${prefix}.attn_v.weight`, EMBED, KV_HEADS * HEAD_DIM),
      matrix(`${prefix}.attn_output.weight`, HEADS * HEAD_DIM, EMBED),
      { name: `${prefix}.ffn_norm.weight`, dims: [EMBED], data: ones(EMBED) },
      matrix(`${prefix}.ffn_gate.weight`, EMBED, FFN),
      matrix(`${prefix}.ffn_down.weight`, FFN, EMBED),
      matrix(`${prefix}.ffn_up.weight`, EMBED, FFN),
    );
  }
  return list;
}

/** Build the file's bytes (a few hundred KB). */
export function tinyGguf(options: { seed?: number } = {}): { buffer: Buffer; info: TinyGgufInfo } {
  const random = prng(options.seed ?? 1);
  const vocab = vocabulary();
  const metadata: [string, MetaValue][] = [
    ["general.architecture", { str: "llama" }],
    ["general.name", { str: "troupe-tiny-test" }],
    ["general.file_type", { u32: 0 }],
    ["general.alignment", { u32: ALIGNMENT }],
    ["llama.vocab_size", { u32: vocab.tokens.length }],
    ["llama.context_length", { u32: TRAIN_CONTEXT }],
    ["llama.embedding_length", { u32: EMBED }],
    ["llama.block_count", { u32: LAYERS }],
    ["llama.feed_forward_length", { u32: FFN }],
    ["llama.attention.head_count", { u32: HEADS }],
    ["llama.attention.head_count_kv", { u32: KV_HEADS }],
    ["llama.rope.dimension_count", { u32: HEAD_DIM }],
    ["llama.rope.freq_base", { f32: 10000 }],
    ["llama.attention.layer_norm_rms_epsilon", { f32: 1e-5 }],
    ["tokenizer.ggml.model", { str: "llama" }],
    ["tokenizer.ggml.tokens", { strings: vocab.tokens }],
    ["tokenizer.ggml.scores", { f32s: vocab.scores }],
    ["tokenizer.ggml.token_type", { i32s: vocab.types }],
    ["tokenizer.ggml.bos_token_id", { u32: vocab.bos }],
    ["tokenizer.ggml.eos_token_id", { u32: vocab.imEnd }],
    ["tokenizer.ggml.unknown_token_id", { u32: 0 }],
    ["tokenizer.ggml.padding_token_id", { u32: vocab.imEnd }],
    ["tokenizer.ggml.add_bos_token", { bool: false }],
    ["tokenizer.ggml.add_eos_token", { bool: false }],
    ["tokenizer.ggml.add_space_prefix", { bool: false }],
    ["tokenizer.chat_template", { str: CHATML_TEMPLATE }],
  ];
  const list = tensors(random, vocab.types);

  const out = new ByteWriter();
  out.push(Buffer.from("GGUF", "ascii"));
  out.u32(3);
  out.u64(list.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) {
    out.str(key);
    writeValue(out, value);
  }
  let offset = 0;
  for (const tensor of list) {
    out.str(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(GGML_F32);
    out.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / ALIGNMENT) * ALIGNMENT;
  }
  out.padTo(ALIGNMENT);
  for (const tensor of list) {
    out.push(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    out.padTo(ALIGNMENT);
  }
  const buffer = out.toBuffer();
  return {
    buffer,
    info: {
      bytes: buffer.length,
      vocabSize: vocab.tokens.length,
      trainContextLength: TRAIN_CONTEXT,
      imStart: vocab.imStart,
      imEnd: vocab.imEnd,
    },
  };
}

/** Write a tiny random-weight ChatML model to `path`; byte-identical for the same seed. */
export async function writeTinyGguf(path: string, options: { seed?: number } = {}): Promise<TinyGgufInfo> {
  const { buffer, info } = tinyGguf(options);
  await writeFile(path, buffer);
  return info;
}
