// Session-level actions next to the Repeater: replay the whole session against its recorded
// server (side-by-side diff, first divergence selected) and serve it as a mock (URL and command).

import { useState } from 'react';
import type { HostApi, MockInfo, ReplaySessionResult } from '../../../shared/host-api.js';
import { describeDifference } from '../../../shared/replay/index.js';
import { SafeText, toDisplay } from '../components/SafeText.js';

export function SessionActions({ host, sessionId }: { host: HostApi; sessionId: string }) {
  const [replay, setReplay] = useState<ReplaySessionResult | undefined>();
  const [mock, setMock] = useState<MockInfo | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      setReplay(await host.replaySession({ sessionId }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const serve = async (): Promise<void> => {
    setError(undefined);
    try {
      setMock(
        mock
          ? (await host.stopMock({ sessionId }), undefined)
          : await host.serveMock({ sessionId }),
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="session-actions">
      <div className="detail-tools">
        <button
          type="button"
          data-testid="replay-session"
          disabled={busy}
          onClick={() => void run()}
        >
          {busy ? 'Replaying…' : 'Replay session'}
        </button>
        <button type="button" data-testid="serve-mock" onClick={() => void serve()}>
          {mock ? 'Stop mock' : 'Serve as mock'}
        </button>
      </div>
      {error && (
        <SafeText className="badge b-error" text={error} max={1000} testId="replay-error" />
      )}
      {mock && (
        <div className="mock-info" data-testid="mock-info">
          <div>
            Streamable HTTP: <code data-testid="mock-url">{toDisplay(mock.url, 300)}</code>
          </div>
          <div>
            stdio command for a host config:{' '}
            <code data-testid="mock-command">{toDisplay(mock.commandLine, 2000)}</code>
          </div>
        </div>
      )}
      {replay && <ReplayDiff result={replay} />}
    </div>
  );
}

function ReplayDiff({ result }: { result: ReplaySessionResult }) {
  const firstDiff = result.exchangesDetail.findIndex((x) => x.differences.length > 0);
  const [selected, setSelected] = useState(firstDiff >= 0 ? firstDiff : 0);
  const x = result.exchangesDetail[selected];
  return (
    <div
      className="replay-diff"
      data-testid="replay-result"
      data-same={result.same}
      data-exchanges={result.exchanges}
    >
      <pre className="dim">{toDisplay(result.summary, 2000, true)}</pre>
      <ul className="replay-exchanges">
        {result.exchangesDetail.map((e, i) => (
          <li key={e.seq}>
            <button
              type="button"
              className={i === selected ? 'on' : ''}
              data-testid="replay-exchange"
              data-differs={e.differences.length > 0}
              onClick={() => setSelected(i)}
            >
              {e.differences.length > 0 ? '≠' : '='} seq {e.seq}{' '}
              {toDisplay(`${e.method}${e.subject !== undefined ? ` ${e.subject}` : ''}`, 80)}
            </button>
          </li>
        ))}
      </ul>
      {x && (
        <>
          <ul>
            {x.differences.map((d, i) => (
              <li key={i} className="diff-row" data-testid="replay-diff-row">
                <SafeText text={describeDifference(d)} max={600} />
              </li>
            ))}
          </ul>
          <div className="repeater-compare">
            <div>
              <h4>Recorded</h4>
              <pre>{toDisplay(JSON.stringify(x.recorded ?? null, null, 2), 50_000, true)}</pre>
            </div>
            <div>
              <h4>Replayed</h4>
              <pre>{toDisplay(JSON.stringify(x.replayed ?? null, null, 2), 50_000, true)}</pre>
            </div>
          </div>
        </>
      )}
    </div>
  );
}
