// The OAuth flows the engine reports (onOAuth), by connection id: loaded once, then kept up to
// date from events. Tokens are never in them (host-api-oauth.ts).

import { useEffect, useState } from 'react';
import type { OAuthFlowInfo } from '../../../shared/host-api.js';
import { useHost } from '../store/hooks.js';

export function useOAuthFlows(): ReadonlyMap<string, OAuthFlowInfo> {
  const host = useHost();
  const [flows, setFlows] = useState<ReadonlyMap<string, OAuthFlowInfo>>(new Map());
  useEffect(() => {
    if (!host) return;
    let live = true;
    const put = (f: OAuthFlowInfo): void => setFlows((m) => new Map(m).set(f.connectionId, f));
    const off = host.onOAuth((f) => {
      if (live) put(f);
    });
    void host
      .listOAuthFlows()
      .then((list) => {
        if (!live) return;
        // Events that arrived meanwhile are newer than the list: keep them.
        setFlows((m) => {
          const next = new Map<string, OAuthFlowInfo>();
          for (const f of list) next.set(f.connectionId, f);
          for (const [k, v] of m) next.set(k, v);
          return next;
        });
      })
      .catch(() => undefined);
    return () => {
      live = false;
      off();
    };
  }, [host]);
  return flows;
}
