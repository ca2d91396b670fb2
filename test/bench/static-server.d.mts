// Types for static-server.mjs (plain JS, shared by the benches and the capture-only e2e tests).
export function serveRenderer(root?: string): Promise<{ url: string; close: () => Promise<void> }>;
