// A server's answer rendered for reading: text blocks with their line breaks, images and audio
// only from data: URLs of safe types, resource links that open the resource, embedded resources,
// prompt messages, and structured content beside the tool's output schema. Everything else, and
// the raw JSON on request, as escaped text. Nothing a server sends becomes markup.

import { useState } from 'react';
import type { JsonObject, JsonValue } from '../../../shared/host-api.js';
import { safeImageSrc, SafeText } from '../components/SafeText.js';

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const SAFE_AUDIO = /^audio\/(mpeg|mp3|wav|x-wav|ogg|webm|mp4|aac|flac)$/;
const B64 = /^[A-Za-z0-9+/=]+$/;

/** A data: URL for server audio, only for plain audio types and base64 text (no SVG-style surprises). */
export function safeAudioSrc(mimeType: unknown, data: unknown): string | undefined {
  if (
    typeof mimeType !== 'string' ||
    typeof data !== 'string' ||
    !SAFE_AUDIO.test(mimeType) ||
    data.length > 20_000_000 ||
    !B64.test(data)
  )
    return undefined;
  return `data:${mimeType};base64,${data}`;
}

export interface ResultViewProps {
  result: JsonObject;
  /** Open a resource a link points at (resource_link blocks). */
  onOpenResource?: (uri: string) => void;
  /** The tool's outputSchema, shown beside structuredContent. */
  outputSchema?: JsonValue;
  testId?: string;
  error?: boolean;
}

function Resource({ r }: { r: JsonObject }) {
  return (
    <div className="rv-resource" data-testid="rv-resource">
      <div className="rv-head">
        <SafeText text={r.uri} max={500} className="mono" />
        {typeof r.mimeType === 'string' && (
          <SafeText text={` ${r.mimeType}`} max={100} className="dim" />
        )}
      </div>
      {typeof r.text === 'string' ? (
        <pre className="rv-text">
          <SafeText text={r.text} max={200_000} multiline />
        </pre>
      ) : typeof r.blob === 'string' ? (
        <Media
          mimeType={r.mimeType}
          data={r.blob}
          kind={
            typeof r.mimeType === 'string' && r.mimeType.startsWith('audio/') ? 'audio' : 'image'
          }
        />
      ) : null}
    </div>
  );
}

function Media({
  mimeType,
  data,
  kind,
}: {
  mimeType: unknown;
  data: unknown;
  kind: 'image' | 'audio';
}) {
  const len = typeof data === 'string' ? data.length : 0;
  if (kind === 'image') {
    const src =
      typeof mimeType === 'string' && typeof data === 'string'
        ? safeImageSrc(`data:${mimeType};base64,${data}`)
        : undefined;
    if (src)
      return (
        <img
          className="rv-image"
          src={src}
          alt={`image (${String(mimeType)})`}
          data-testid="rv-image"
        />
      );
  } else {
    const src = safeAudioSrc(mimeType, data);
    if (src) return <audio className="rv-audio" controls src={src} data-testid="rv-audio" />;
  }
  return (
    <p className="dim" data-testid="rv-media-withheld">
      [{kind} <SafeText text={mimeType} max={80} />, {len} base64 chars — not shown: only png, jpeg,
      gif, webp images and plain audio types are displayed]
    </p>
  );
}

function Block({ c, onOpenResource }: { c: JsonValue; onOpenResource?: (uri: string) => void }) {
  if (!isObject(c)) return <SafeText text={c} max={5000} />;
  switch (c.type) {
    case 'text':
      return (
        <pre className="rv-text" data-testid="rv-text">
          <SafeText text={c.text} max={200_000} multiline />
        </pre>
      );
    case 'image':
    case 'audio':
      return <Media mimeType={c.mimeType} data={c.data} kind={c.type} />;
    case 'resource_link':
      return (
        <div className="rv-link" data-testid="rv-link">
          <button
            type="button"
            className="link"
            data-testid="rv-link-open"
            disabled={!onOpenResource || typeof c.uri !== 'string'}
            onClick={() => typeof c.uri === 'string' && onOpenResource?.(c.uri)}
          >
            <SafeText text={c.name ?? c.uri} max={200} />
          </button>{' '}
          <SafeText text={c.uri} max={300} className="dim mono" />
          {typeof c.description === 'string' && (
            <SafeText text={` — ${c.description}`} max={500} className="dim" />
          )}
        </div>
      );
    case 'resource':
      return isObject(c.resource) ? <Resource r={c.resource} /> : null;
    default:
      return (
        <pre className="rv-text">
          <SafeText text={JSON.stringify(c, null, 2)} max={20_000} multiline />
        </pre>
      );
  }
}

export function ResultView({
  result,
  onOpenResource,
  outputSchema,
  testId,
  error,
}: ResultViewProps) {
  const [raw, setRaw] = useState(false);
  const content = Array.isArray(result.content) ? result.content : undefined;
  const contents = Array.isArray(result.contents) ? result.contents.filter(isObject) : undefined;
  const messages = Array.isArray(result.messages) ? result.messages.filter(isObject) : undefined;
  const isError = error || result.isError === true;
  return (
    <div className={`result-view ${isError ? 'err' : ''}`} data-testid={testId}>
      <div className="rv-tools">
        {isError && <span className="badge b-error">error</span>}
        <label className="dim">
          <input
            type="checkbox"
            checked={raw}
            onChange={(e) => setRaw(e.target.checked)}
            data-testid="rv-raw"
          />{' '}
          raw JSON
        </label>
      </div>
      {raw ? (
        <pre className="rv-text">
          <SafeText text={JSON.stringify(result, null, 2)} max={500_000} multiline />
        </pre>
      ) : (
        <>
          {typeof result.description === 'string' && (
            <SafeText text={result.description} max={2000} className="dim" />
          )}
          {content?.map((c, i) => (
            <Block key={i} c={c} {...(onOpenResource ? { onOpenResource } : {})} />
          ))}
          {contents?.map((r, i) => (
            <Resource key={i} r={r} />
          ))}
          {messages?.map((m, i) => (
            <div key={i} className="rv-message" data-testid="rv-message">
              <span className="pill">
                <SafeText text={m.role} max={20} />
              </span>
              <Block c={m.content ?? null} {...(onOpenResource ? { onOpenResource } : {})} />
            </div>
          ))}
          {result.structuredContent !== undefined && (
            <div className="rv-structured" data-testid="rv-structured">
              <div>
                <h5>structuredContent</h5>
                <pre className="rv-text">
                  <SafeText
                    text={JSON.stringify(result.structuredContent, null, 2)}
                    max={200_000}
                    multiline
                  />
                </pre>
              </div>
              {outputSchema !== undefined && (
                <div>
                  <h5>outputSchema</h5>
                  <pre className="rv-text dim">
                    <SafeText text={JSON.stringify(outputSchema, null, 2)} max={50_000} multiline />
                  </pre>
                </div>
              )}
            </div>
          )}
          {!content && !contents && !messages && result.structuredContent === undefined && (
            <pre className="rv-text">
              <SafeText text={JSON.stringify(result, null, 2)} max={200_000} multiline />
            </pre>
          )}
        </>
      )}
    </div>
  );
}

/** An error as a result-shaped object, so failures render in the same place. */
export function errorResult(message: string): JsonObject {
  return { content: [{ type: 'text', text: message }], isError: true };
}
