// A complete profile as the profiles pipeline's model answers it, for tests that feed batch results.
export const pipelineProfile = (name: string) => ({
  name,
  age: "40",
  gender: "woman",
  species: "human",
  birthplace: "Tromsø",
  occupation: "glacier guide",
  appearance: "Weathered hands.",
  background: "Grew up by the fjord.",
  personality: "Patient, blunt.",
  speakingStyle: "Short sentences.",
  description: "A guide who reads ice.",
  scenario: "At the trailhead.",
  greeting: "*checks the sky* Ready?",
  tags: ["outdoors"],
});
