import { requireUser } from "@/lib/auth/session";
import { json, parseJsonBody, route } from "@/lib/http";
import { setTrainingConsent } from "@/lib/users/queries";
import { consentSchema } from "@/lib/users/schema";

export const PUT = route(async (request) => {
  const body = await parseJsonBody(request, consentSchema);
  const user = await requireUser();
  return json({ user: await setTrainingConsent(user.id, body.trainingConsent) });
});
