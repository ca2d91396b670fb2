// The step-by-step view of one OAuth flow: each step (protected-resource metadata, authorization-
// server metadata, registration, PKCE, the authorization request, the redirect, the token
// exchange, refreshes) with ok/failed and its detail; while the flow waits for the user, the
// authorization URL and a button that opens it; on failure, which step failed, why and what to do.
// Details and reasons quote the server (URLs, error bodies): they are shown through SafeText only.

import { useState } from 'react';
import type { OAuthFlowInfo } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { useHost } from '../store/hooks.js';
import { openAuthorizationUrl } from './open.js';

const STATUS_TEXT: Record<OAuthFlowInfo['status'], string> = {
  authorizing: 'authorizing…',
  'waiting-for-user': 'waiting for you to approve in the browser',
  authorized: 'authorized',
  failed: 'failed',
};

export function OAuthSteps({ flow }: { flow: OAuthFlowInfo }) {
  const host = useHost();
  const [problem, setProblem] = useState<string>();
  return (
    <div className="oauth-flow" data-testid="oauth-flow" data-status={flow.status}>
      <p>
        OAuth for <SafeText className="mono" text={flow.serverUrl} max={300} />:{' '}
        <span
          className={`pill oauth-${flow.status === 'failed' ? 'failed-status' : flow.status}`}
          data-testid="oauth-status"
        >
          {STATUS_TEXT[flow.status]}
        </span>
      </p>
      {flow.status === 'waiting-for-user' && flow.authorizationUrl && (
        <div className="oauth-authorize" data-testid="oauth-authorize">
          <p>Open this address, sign in and approve access; mcpscope continues by itself:</p>
          <pre className="mono" data-testid="oauth-authorization-url">
            <SafeText text={flow.authorizationUrl} max={4000} />
          </pre>
          <div className="row">
            <button
              type="button"
              className="primary"
              data-testid="oauth-open"
              onClick={() => setProblem(openAuthorizationUrl(flow.authorizationUrl!))}
            >
              Open in the browser
            </button>
            {host && (
              <button
                type="button"
                data-testid="oauth-cancel"
                onClick={() => void host.cancelOAuth({ connectionId: flow.connectionId })}
              >
                Cancel
              </button>
            )}
          </div>
          {problem && (
            <p className="err" data-testid="oauth-open-problem">
              <SafeText text={problem} max={500} />
            </p>
          )}
        </div>
      )}
      {flow.failure && (
        <div className="oauth-failure err" data-testid="oauth-failure">
          <p>
            Failed at <strong data-testid="oauth-failed-step">{flow.failure.step}</strong>:{' '}
            <SafeText text={flow.failure.reason} max={2000} testId="oauth-failure-reason" />
          </p>
          <p data-testid="oauth-failure-hint">
            <SafeText text={flow.failure.hint} max={1000} />
          </p>
        </div>
      )}
      <ol className="oauth-steps" data-testid="oauth-steps">
        {flow.steps.map((s, i) => (
          <li
            key={i}
            data-testid="oauth-step"
            data-step={s.step}
            data-ok={s.ok ? 'true' : 'false'}
            className={s.ok ? 'oauth-ok' : 'oauth-failed'}
          >
            <span className="oauth-mark">{s.ok ? '✓' : '✗'}</span>{' '}
            <strong>
              <SafeText text={s.step} max={100} />
            </strong>{' '}
            <SafeText className="dim" text={s.detail} max={2000} />
          </li>
        ))}
      </ol>
    </div>
  );
}
