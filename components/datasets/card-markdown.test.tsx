import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { datasetCard } from "@/lib/datasets/card";
import type { MixReport } from "@/lib/datasets/queries";
import { CardMarkdown } from "./card-markdown";

const version = {
  id: "cmdataset0001",
  name: "Lighthouse",
  version: 1,
  description: "",
  filter: {},
  seed: "seed",
  validationShare: 0.05,
  sampleCount: 1,
  createdAt: new Date("2026-01-01T00:00:00Z"),
};

const mix = (names: Pick<MixReport, "templates" | "generators" | "judges">): MixReport => ({
  total: 1,
  split: { TRAIN: 1, VALIDATION: 0 },
  bySource: [],
  byKind: [],
  byPipeline: [],
  byLanguage: [],
  byCharacter: [],
  promptTokens: [],
  answerTokens: [],
  contributors: 0,
  feedbackRows: 0,
  inputs: [],
  ...names,
});

describe("the dataset card as rendered", () => {
  it("shows model and template names exactly, as code a backtick cannot end", () => {
    const generator = "troupe_sim/base` ![pixel](https://example.com/pixel.png) [x](https://example.com) `";
    const judge = "judge``*model*";
    const html = renderToStaticMarkup(
      <CardMarkdown
        text={datasetCard(version, mix({ templates: ["gen_erate@2"], generators: [generator], judges: [judge] }))}
      />,
    );
    expect(html).not.toContain("<a ");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<em>");
    expect(html).toContain(`<code>${generator}</code>`);
    expect(html).toContain(`<code>${judge}</code>`);
    expect(html).toContain("<code>gen_erate@2</code>");
  });

  it("a carriage return in a name cannot end the code span or start a block", () => {
    const generator = "base\r\r# Heading\r[x](https://example.com)";
    const html = renderToStaticMarkup(
      <CardMarkdown text={datasetCard(version, mix({ templates: [], generators: [generator], judges: [] }))} />,
    );
    // The card's own title is the only heading.
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(html).not.toContain("<a ");
    expect(html).toContain("<code>base # Heading [x](https://example.com)</code>");
  });
});
