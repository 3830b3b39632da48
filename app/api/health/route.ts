import { getCurrentUser } from "@/lib/auth/session";
import { getSystemHealth } from "@/lib/health";
import { json, route } from "@/lib/http";

export const dynamic = "force-dynamic";

// Public, so load balancers and monitors can use it; where the model server lives and what it
// serves is only shown to admins.
export const GET = route(async () => {
  const [health, user] = await Promise.all([getSystemHealth(), getCurrentUser()]);
  if (user?.role === "ADMIN") return json(health);
  const { endpoint: _endpoint, models: _models, ...model } = health.model;
  const publicMessage = {
    ok: "Connected.",
    degraded: "The model server is not healthy.",
    down: "The model server is not reachable.",
    not_configured: "No model is connected.",
  }[model.status];
  return json({ ...health, model: { ...model, message: publicMessage } });
});
