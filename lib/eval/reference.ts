// Published figures, for the leaderboard's reference rows. These are numbers printed in the papers
// (see docs/method.md), measured with the papers' own judges, prompts and test sets — not Troupe
// runs — and must always be shown labelled as published figures. Troupe's suites are smaller and its
// judge prompts are its own, so a Troupe score is comparable in kind, not point for point. Troupe's
// persona suites ask one question per persona and task, the shape of PScore-Light.
import type { SuiteKind } from "./schema";

export type PaperSource = {
  paper: string;
  authors: string;
  arxiv: string;
  benchmark: string;
  /** What the figures measure and how, in one line for a tooltip. */
  setting: string;
};

export type PublishedFigure = {
  kind: "published";
  source: PaperSource;
  model: string;
  /** Scores by Troupe metric name; a figure the paper does not give is absent. */
  scores: Partial<Record<"pscore" | "pscoreLight" | "consistency" | "knowledge" | "rejection", number>>;
};

export const OPENCHARACTER: PaperSource = {
  paper: "OpenCharacter: Training Customizable Role-Playing LLMs with Large-Scale Synthetic Personas",
  authors: "Wang et al., Tencent AI Lab",
  arxiv: "2501.15427",
  benchmark: "PersonaGym",
  setting:
    "200 personas × 5 tasks × 10 questions (Light: the first question per task); 1–5 per task dimension, " +
    "PScore = their mean; judge gpt-4o at temperature 0.",
};

export const DITTO: PaperSource = {
  paper:
    "Large Language Models are Superpositions of All Characters: Attaining Arbitrary Role-play via Self-Alignment (Ditto)",
  authors: "Lu et al., Alibaba",
  arxiv: "2401.12474",
  benchmark: "WikiRoleEval",
  setting:
    "100 roles, 498 multi-turn questions; 3 judge samples at temperature 0.2; consistency = share naming the " +
    "right role of 4, knowledge 1–10, rejection = accuracy of the majority vote against the gold label.",
};

const personaGym = (model: string, pscoreLight: number, pscore: number): PublishedFigure => ({
  kind: "published",
  source: OPENCHARACTER,
  model,
  scores: { pscoreLight, pscore },
});

const wikiRoleEval = (model: string, consistency: number, knowledge: number, rejection: number): PublishedFigure => ({
  kind: "published",
  source: DITTO,
  model,
  scores: { consistency, knowledge, rejection },
});

/** OpenCharacter's PersonaGym table (PScore-Light, full PScore). */
export const PERSONAGYM_FIGURES: readonly PublishedFigure[] = [
  personaGym("GPT-4o-2024-08-06", 4.6, 4.53),
  personaGym("LLaMA-3-8B-Instruct", 4.62, 4.45),
  personaGym("LLaMA-3-70B-Instruct", 4.72, 4.58),
  personaGym("OpenCharacter-8B", 4.66, 4.52),
];

/** Ditto's WikiRoleEval table. */
export const WIKIROLEEVAL_FIGURES: readonly PublishedFigure[] = [
  wikiRoleEval("GPT-4", 0.8, 7.62, 0.85),
  wikiRoleEval("GPT-3.5-Turbo", 0.72, 6.33, 0.81),
  wikiRoleEval("Qwen-72B (no role-play SFT)", 0.54, 4.92, 0.67),
  wikiRoleEval("Ditto-72B", 0.9, 6.64, 0.82),
  wikiRoleEval("Ditto-7B", 0.82, 4.97, 0.76),
];

/** The reference rows for a suite kind's leaderboard (none for regression suites). */
export function publishedFiguresFor(kind: SuiteKind): readonly PublishedFigure[] {
  switch (kind) {
    case "knowledge":
      return WIKIROLEEVAL_FIGURES;
    case "persona":
      return PERSONAGYM_FIGURES;
    case "regression":
      return [];
  }
}
