// Editable Monaco for raw JSON input (tool arguments). Loaded lazily like the viewer. The input
// schema is given to Monaco's JSON language service (it validates in its worker, no eval), and
// the caller also validates with interact/validate.ts for the problems list and the Call button.

import { Editor } from '@monaco-editor/react';
import { useEffect, useId } from 'react';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register.js';
import './setup.js';
import { useMonacoTheme } from './theme.js';

export interface JsonEditorProps {
  value: string;
  onChange: (text: string) => void;
  /** JSON Schema the text should satisfy (server-provided: used as data, never as code). */
  schema?: unknown;
  testId?: string;
}

export default function JsonEditor({ value, onChange, schema, testId }: JsonEditorProps) {
  const id = useId().replace(/[^a-zA-Z0-9]/g, '');
  const uri = `inmemory://mcpscope/args-${id}.json`;
  const theme = useMonacoTheme();

  useEffect(() => {
    if (typeof schema !== 'object' || schema === null) return;
    const json = jsonDefaults;
    const others = (json.diagnosticsOptions.schemas ?? []).filter(
      (s) => !s.fileMatch?.includes(uri),
    );
    // enableSchemaRequest stays false: a `$ref` to a URL must never make the editor fetch it.
    json.setDiagnosticsOptions({
      validate: true,
      enableSchemaRequest: false,
      schemas: [...others, { uri: `${uri}#schema`, fileMatch: [uri], schema }],
    });
    return () => {
      const rest = (json.diagnosticsOptions.schemas ?? []).filter(
        (s) => !s.fileMatch?.includes(uri),
      );
      json.setDiagnosticsOptions({ validate: true, enableSchemaRequest: false, schemas: rest });
    };
  }, [schema, uri]);

  return (
    <div className="json-editor" data-testid={testId}>
      <Editor
        value={value}
        path={uri}
        language="json"
        theme={theme}
        onChange={(v) => onChange(v ?? '')}
        options={{
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          fontSize: 12,
          automaticLayout: true,
          // Typed text stays exactly as typed (also what keyboard-driven tests rely on).
          autoClosingBrackets: 'never',
          autoClosingQuotes: 'never',
          autoSurround: 'never',
          formatOnType: false,
          links: false,
          renderControlCharacters: true,
        }}
      />
    </div>
  );
}
