import Ajv2020 from "ajv/dist/2020";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "./generate";
import { sampleJson } from "./json-schema";
import { type Simulator, startSimulator } from "./server";
import { chunksOf, post, postJson, readSse, textByChoice, user } from "./test-helpers";

const ajv = new Ajv2020({ strict: false });
ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT/.test(s));
ajv.addFormat("date", /^\d{4}-\d\d-\d\d$/);
ajv.addFormat("email", /^[^@\s]+@[^@\s]+$/);
ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

/** A profile schema shaped like Troupe's synthesis outputs (pydantic-style Optional, $defs, enums). */
const profileSchema = {
  type: "object",
  $defs: {
    Trait: {
      type: "object",
      properties: { label: { type: "string", minLength: 3 }, strength: { type: "integer", minimum: 1, maximum: 5 } },
      required: ["label", "strength"],
      additionalProperties: false,
    },
  },
  properties: {
    name: { type: "string" },
    age: { type: "integer", minimum: 18, maximum: 90 },
    gender: { enum: ["female", "male", "nonbinary"] },
    birth_place: { anyOf: [{ type: "string" }, { type: "null" }] },
    appearance: { type: "string", maxLength: 40 },
    personality: { type: "string", minLength: 30 },
    traits: { type: "array", items: { $ref: "#/$defs/Trait" }, minItems: 2, maxItems: 4 },
    score: { type: ["number", "null"], exclusiveMinimum: 0, exclusiveMaximum: 1 },
    verified: { type: "boolean" },
    kind: { const: "profile" },
    created_at: { type: "string", format: "date-time" },
  },
  required: ["name", "age", "gender", "personality", "traits", "kind"],
  additionalProperties: false,
};

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 0, itlMs: 0 });
});
afterAll(() => sim.close());

type ChatBody = { choices: { message: { content: string }; finish_reason: string }[] };

describe("structured outputs", () => {
  it("answers structured_outputs.json with JSON valid against the schema, different per prompt", async () => {
    const validate = ajv.compile(profileSchema);
    const values = new Set<string>();
    for (const persona of ["a lighthouse keeper", "a retired jazz drummer", "a botanist on Mars"]) {
      const { status, body } = await postJson<ChatBody>(sim, "/v1/chat/completions", {
        messages: user(`Write a profile for ${persona}`),
        structured_outputs: { json: profileSchema },
      });
      expect(status).toBe(200);
      const content = body.choices[0]?.message.content ?? "";
      const value = JSON.parse(content);
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
      expect(value.name).toMatch(/^\p{Lu}/u);
      values.add(content);
    }
    expect(values.size).toBe(3);
  });

  it("answers response_format json_schema and json_object", async () => {
    const schema = {
      type: "object",
      properties: {
        questions: {
          type: "array",
          items: {
            type: "object",
            properties: { question: { type: "string" }, reason: { type: "string" } },
            required: ["question", "reason"],
          },
        },
      },
      required: ["questions"],
    };
    const { body } = await postJson<ChatBody>(sim, "/v1/chat/completions", {
      messages: user("Three questions"),
      response_format: { type: "json_schema", json_schema: { name: "questions", schema, strict: true } },
      n: 2,
    });
    for (const choice of body.choices) expect(ajv.validate(schema, JSON.parse(choice.message.content))).toBe(true);

    const object = await postJson<ChatBody>(sim, "/v1/chat/completions", {
      messages: user("Anything"),
      response_format: { type: "json_object" },
    });
    const parsed = JSON.parse(object.body.choices[0]?.message.content ?? "");
    expect(typeof parsed).toBe("object");
    expect(Array.isArray(parsed)).toBe(false);
  });

  it("streams the same JSON it returns unstreamed", async () => {
    const request = { messages: user("Profile please"), structured_outputs: { json: profileSchema } };
    const { body } = await postJson<ChatBody>(sim, "/v1/chat/completions", request);
    const streamed = textByChoice(
      chunksOf(await readSse(await post(sim, "/v1/chat/completions", { ...request, stream: true }))),
    );
    expect(streamed.get(0)).toBe(body.choices[0]?.message.content);
  });

  it("truncates JSON at max_tokens with finish_reason length, like vLLM", async () => {
    const { body } = await postJson<ChatBody>(sim, "/v1/chat/completions", {
      messages: user("Profile please"),
      structured_outputs: { json: profileSchema },
      max_tokens: 8,
    });
    expect(body.choices[0]?.finish_reason).toBe("length");
    expect(() => JSON.parse(body.choices[0]?.message.content ?? "")).toThrow();
  });

  it("picks from structured_outputs.choice", async () => {
    const { body } = await postJson<ChatBody>(sim, "/v1/chat/completions", {
      messages: user("Refused?"),
      structured_outputs: { choice: ["0", "1"] },
    });
    expect(["0", "1"]).toContain(body.choices[0]?.message.content);
  });
});

describe("sampleJson", () => {
  it("satisfies assorted schemas across many seeds", () => {
    const schemas: unknown[] = [
      profileSchema,
      { type: "array", items: { type: "string", enum: ["a", "b", "c"] }, uniqueItems: true, minItems: 3 },
      { type: "object", additionalProperties: { type: "integer", multipleOf: 5 }, minProperties: 2 },
      { oneOf: [{ type: "string", format: "email" }, { type: "integer" }] },
      {
        type: "object",
        properties: { id: { type: "string", format: "uuid" }, day: { type: "string", format: "date" } },
      },
      {
        definitions: {
          node: { type: "object", properties: { children: { type: "array", items: { $ref: "#/definitions/node" } } } },
        },
        $ref: "#/definitions/node",
      },
      {
        allOf: [
          { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
          { properties: { b: { type: "number", minimum: -3, maximum: -1 } }, required: ["b"] },
        ],
      },
      { type: "integer", exclusiveMinimum: 0, exclusiveMaximum: 3 },
    ];
    for (const schema of schemas) {
      const validate = ajv.compile(schema as object);
      for (let seed = 0; seed < 50; seed++) {
        const value = sampleJson(schema, mulberry32(seed));
        expect(validate(value), `${JSON.stringify(schema)} → ${JSON.stringify(value)}`).toBe(true);
      }
    }
  });
});
