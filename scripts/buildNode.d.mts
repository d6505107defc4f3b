/** The entry points of out/node: name → absolute source path. */
export function nodeEntryPoints(root?: string): Record<string, string>;

/** Builds out/node; see buildNode.mjs. */
export function buildNode(options?: {
  root?: string;
  clean?: boolean;
  quiet?: boolean;
}): Promise<{ files: number; bytes: number; inputs: number; ms: number }>;
