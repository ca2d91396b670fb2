// The detail of a large session's message: its row and exact raw text come from the session's
// worker (which reads the frame's line from the file by byte range), then DetailBody shows it.

import { useEffect, useState } from 'react';
import { largeSessions, type LargeDetail } from '../model/large-session.js';
import { DetailBody, EmptyDetail } from './DetailPanel.js';

export function LargeDetailPanel({
  session,
  selected,
}: {
  session: string;
  selected: number | undefined;
}) {
  const [state, setState] = useState<{ mid: number; detail?: LargeDetail; error?: string }>();
  useEffect(() => {
    const ls = largeSessions.get(session);
    if (!ls || selected === undefined) return;
    let live = true;
    ls.detail(selected).then(
      (detail) => live && setState({ mid: selected, detail }),
      (e: unknown) => live && setState({ mid: selected, error: (e as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [session, selected]);
  if (selected === undefined) return <EmptyDetail />;
  if (!state || state.mid !== selected) return <EmptyDetail note="Reading the frame…" />;
  if (state.error !== undefined || !state.detail)
    return <EmptyDetail note={`Could not show this frame: ${state.error ?? 'unknown error'}`} />;
  const d = state.detail;
  return (
    <DetailBody
      msg={d.msg}
      raw={d.raw}
      pair={d.pair}
      pairRaw={undefined}
      findings={[]}
      sessionId={session}
    />
  );
}
