// Read-only Monaco view of one frame, with finding decorations. Loaded lazily (Monaco is big).

import { Editor, type OnMount } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import type { Finding } from '../../../shared/detect/types.js';
import { findingRanges } from './decorations.js';
import { monaco } from './setup.js';
import { useMonacoTheme } from './theme.js';

export interface JsonViewerProps {
  raw: string;
  shown: string;
  pretty: boolean;
  findings: readonly Finding[];
}

type Ed = Parameters<OnMount>[0];

function codeFence(text: string): string {
  return `\`\`\`text\n${text.replace(/`/g, '\u02cb')}\n\`\`\``;
}

export default function JsonViewer({ raw, shown, pretty, findings }: JsonViewerProps) {
  const editorRef = useRef<Ed | null>(null);
  const decoRef = useRef<{ clear(): void } | null>(null);
  const theme = useMonacoTheme();

  const decorate = (): void => {
    const ed = editorRef.current;
    const model = ed?.getModel();
    if (!ed || !model) return;
    decoRef.current?.clear();
    const ranges = findingRanges(raw, shown, pretty, findings);
    const first = ranges[0];
    if (first) {
      // Show the evidence: Monaco renders only the lines in view.
      const a = model.getPositionAt(first.start);
      const b = model.getPositionAt(first.end);
      ed.revealRangeInCenterIfOutsideViewport(
        new monaco.Range(a.lineNumber, a.column, b.lineNumber, b.column),
      );
    }
    decoRef.current = ed.createDecorationsCollection(
      ranges.map((r) => {
        const a = model.getPositionAt(r.start);
        const b = model.getPositionAt(r.end);
        return {
          range: new monaco.Range(a.lineNumber, a.column, b.lineNumber, b.column),
          options: {
            inlineClassName: `finding-deco sev-${r.finding.severity}`,
            // Hovers are markdown: fence the text so server-quoted content stays literal.
            hoverMessage: {
              value: codeFence(`${r.finding.severity}: ${r.finding.title} — ${r.finding.message}`),
              isTrusted: false,
              supportHtml: false,
            },
          },
        };
      }),
    );
  };

  useEffect(decorate);

  return (
    <div className="json-viewer" data-testid="detail-editor">
      <Editor
        value={shown}
        language={pretty ? 'json' : 'plaintext'}
        theme={theme}
        onMount={(ed) => {
          editorRef.current = ed;
          decorate();
        }}
        options={{
          readOnly: true,
          domReadOnly: true,
          minimap: { enabled: false },
          folding: true,
          wordWrap: pretty ? 'off' : 'on',
          scrollBeyondLastLine: false,
          renderControlCharacters: true,
          unicodeHighlight: {
            invisibleCharacters: true,
            ambiguousCharacters: true,
            nonBasicASCII: false,
          },
          links: false,
          fontSize: 12,
          automaticLayout: true,
        }}
      />
    </div>
  );
}
