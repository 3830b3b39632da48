// The message tree, shared by the server and the browser: which path is selected.
export type TreeNode = { id: string; parentId: string | null; selectedChildId: string | null };

/** The selected path: from the selected root, following each message's selected child. */
export function selectedPath<T extends TreeNode>(nodes: Iterable<T>, selectedRootId: string | null): T[] {
  const byId = new Map<string, T>();
  for (const node of nodes) byId.set(node.id, node);
  const path: T[] = [];
  const seen = new Set<string>();
  let current = selectedRootId ? byId.get(selectedRootId) : undefined;
  while (current && !seen.has(current.id)) {
    path.push(current);
    seen.add(current.id);
    current = current.selectedChildId ? byId.get(current.selectedChildId) : undefined;
  }
  return path;
}
