// Preference pairs implied by a conversation tree, derived from its shape alone:
// - edit: an edited reply is preferred over the reply it replaced;
// - swipe: a reply the user continued from is preferred over each finished sibling that existed
//   when they continued (the ones they could have swiped to).
// Greetings are authored, not generated, and user-message branches change the prompt, so neither
// yields a pair. Failed and still-streaming replies were never real candidates.

export type TreeMessage = {
  id: string;
  parentId: string | null;
  role: "USER" | "ASSISTANT";
  status: "STREAMING" | "COMPLETE" | "STOPPED" | "FAILED";
  isGreeting: boolean;
  editedFromId: string | null;
  createdAt: Date;
};

export type DerivedPair = {
  source: "swipe" | "edit";
  /** The user message both replies answer. */
  parentId: string;
  chosenId: string;
  rejectedId: string;
};

const finished = (message: TreeMessage) => message.status === "COMPLETE" || message.status === "STOPPED";

export function derivePairs(messages: readonly TreeMessage[]): DerivedPair[] {
  const byId = new Map(messages.map((message) => [message.id, message]));
  const children = new Map<string, TreeMessage[]>();
  for (const message of messages) {
    if (!message.parentId) continue;
    const list = children.get(message.parentId) ?? [];
    list.push(message);
    children.set(message.parentId, list);
  }
  const candidate = (message: TreeMessage | undefined): message is TreeMessage & { parentId: string } =>
    message !== undefined &&
    message.role === "ASSISTANT" &&
    !message.isGreeting &&
    message.parentId !== null &&
    finished(message);

  const pairs: DerivedPair[] = [];
  for (const message of messages) {
    if (!candidate(message)) continue;
    const original = message.editedFromId ? byId.get(message.editedFromId) : undefined;
    if (candidate(original)) {
      pairs.push({ source: "edit", parentId: message.parentId, chosenId: message.id, rejectedId: original.id });
    }
    const continuations = children.get(message.id) ?? [];
    if (continuations.length === 0) continue;
    const continuedAt = Math.min(...continuations.map((child) => child.createdAt.getTime()));
    for (const sibling of children.get(message.parentId) ?? []) {
      if (sibling.id === message.id || sibling.id === message.editedFromId || !candidate(sibling)) continue;
      if (sibling.createdAt.getTime() >= continuedAt) continue;
      pairs.push({ source: "swipe", parentId: message.parentId, chosenId: message.id, rejectedId: sibling.id });
    }
  }
  return pairs;
}
