// A flow that waits for the user while the Connect screen is not showing (a Reconnect from the
// session screen, say): its authorization URL, Open and Cancel, above everything else, so an OAuth
// connect never waits on an address nobody can see.

import { SafeText } from '../components/SafeText.js';
import { AuthorizeBox } from './OAuthSteps.js';
import { useOAuthFlows } from './useOAuthFlows.js';

export function OAuthPrompt() {
  const flows = useOAuthFlows();
  const waiting = [...flows.values()].filter(
    (f) => f.status === 'waiting-for-user' && f.authorizationUrl,
  );
  if (waiting.length === 0) return null;
  return (
    <section className="oauth-prompt card" data-testid="oauth-prompt" role="dialog">
      {waiting.map((f) => (
        <div key={f.connectionId}>
          <h3>
            OAuth: approve access for <SafeText className="mono" text={f.serverUrl} max={200} />
          </h3>
          <AuthorizeBox flow={f} url={f.authorizationUrl!} />
        </div>
      ))}
    </section>
  );
}
