"use client";

import { useState } from "react";
import { useAdminAction } from "@/components/admin/use-admin-action";
import { Button } from "@/components/ui/button";
import { Field, fieldAria } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/native-select";
import { generateRegressionSuiteAction } from "@/lib/eval/actions";

/** A regression suite from a character's example dialogues and profile. */
export function RegressionSuiteForm({ characters }: { characters: { id: string; name: string }[] }) {
  const { run, pending, fieldError } = useAdminAction();
  const [characterId, setCharacterId] = useState(characters[0]?.id ?? "");
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="eval-regression">
      <Field label="Character" htmlFor="eval-regression-character" error={fieldError("characterId")}>
        <NativeSelect
          {...fieldAria("eval-regression-character", fieldError("characterId"))}
          value={characterId}
          onChange={(event) => setCharacterId(event.target.value)}
        >
          {characters.map((character) => (
            <option key={character.id} value={character.id}>
              {character.name}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <Button
        loading={pending}
        disabled={!characterId}
        data-testid="eval-regression-submit"
        onClick={() =>
          run(() => generateRegressionSuiteAction({ characterId }), { title: "Regression suite generated" })
        }
      >
        Generate suite
      </Button>
    </div>
  );
}
