// Above a client session's timeline: the OAuth steps of its connection (collapsed once authorized,
// open while waiting or failed, e.g. when a refresh failed). Renders nothing for other sessions.

import { useApp } from '../store/hooks.js';
import { OAuthSteps } from './OAuthSteps.js';
import { useOAuthFlows } from './useOAuthFlows.js';

export function OAuthSessionPanel() {
  const active = useApp((s) => s.active);
  const connections = useApp((s) => s.connections);
  const flows = useOAuthFlows();
  const conn = active ? connections.find((c) => c.sessionId === active) : undefined;
  const flow = conn ? flows.get(conn.id) : undefined;
  if (!flow) return null;
  const failed = flow.steps.filter((s) => !s.ok).length;
  return (
    <details className="oauth-panel" data-testid="oauth-panel" open={flow.status !== 'authorized'}>
      <summary>
        OAuth: {flow.status} · {flow.steps.length} steps
        {failed > 0 ? ` (${failed} failed)` : ''}
      </summary>
      <OAuthSteps flow={flow} />
    </details>
  );
}
