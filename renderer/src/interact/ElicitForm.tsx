// The form of an elicitation/create request (MCP 2025-11-25): the requested schema is flat and
// primitive, so every field gets a real control — titles as labels, defaults filled in, formats
// (email, uri, date, date-time) as matching inputs, single-select from enum / enumNames / oneOf
// with titles, multi-select from array items (enum or anyOf/oneOf with titles) — and the answer
// is checked against the schema before it is sent.

import { useMemo, useState } from 'react';
import type { JsonObject, JsonValue } from '../../../shared/host-api.js';
import { SafeText, toDisplay } from '../components/SafeText.js';

type P = Record<string, unknown>;
const isObject = (v: unknown): v is P => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Choice {
  value: string;
  label: string;
}

export interface ElicitField {
  name: string;
  label: string;
  description?: string;
  kind: 'string' | 'number' | 'integer' | 'boolean' | 'select' | 'multi';
  required: boolean;
  format?: string;
  choices?: Choice[];
  min?: number;
  max?: number;
  default?: JsonValue;
}

function choicesOf(p: P): Choice[] | undefined {
  if (Array.isArray(p.enum)) {
    const names = Array.isArray(p.enumNames) ? p.enumNames : [];
    return p.enum.map((v, i) => ({
      value: String(v),
      label: typeof names[i] === 'string' ? names[i] : String(v),
    }));
  }
  const alts = Array.isArray(p.oneOf) ? p.oneOf : Array.isArray(p.anyOf) ? p.anyOf : undefined;
  if (alts)
    return alts.filter(isObject).map((a) => ({
      value: String(a.const),
      label: typeof a.title === 'string' ? a.title : String(a.const),
    }));
  return undefined;
}

export function elicitFields(schema: unknown): ElicitField[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const req = Array.isArray(schema.required) ? schema.required : [];
  return Object.entries(schema.properties)
    .slice(0, 100)
    .map(([name, raw]) => {
      const p = isObject(raw) ? raw : {};
      const f: ElicitField = {
        name,
        label: typeof p.title === 'string' ? p.title : name,
        kind: 'string',
        required: req.includes(name),
      };
      if (typeof p.description === 'string') f.description = p.description;
      if (p.default !== undefined) f.default = p.default as JsonValue;
      const choices = choicesOf(p);
      if (p.type === 'array' && isObject(p.items)) {
        f.kind = 'multi';
        f.choices = choicesOf(p.items) ?? [];
        if (typeof p.minItems === 'number') f.min = p.minItems;
        if (typeof p.maxItems === 'number') f.max = p.maxItems;
      } else if (choices) {
        f.kind = 'select';
        f.choices = choices;
      } else if (p.type === 'number' || p.type === 'integer' || p.type === 'boolean')
        f.kind = p.type;
      if (f.kind === 'number' || f.kind === 'integer') {
        if (typeof p.minimum === 'number') f.min = p.minimum;
        if (typeof p.maximum === 'number') f.max = p.maximum;
      }
      if (f.kind === 'string') {
        if (typeof p.format === 'string') f.format = p.format;
        if (typeof p.minLength === 'number') f.min = p.minLength;
        if (typeof p.maxLength === 'number') f.max = p.maxLength;
      }
      return f;
    });
}

type Value = string | boolean | string[];

export function initialValues(fields: readonly ElicitField[]): Record<string, Value> {
  const v: Record<string, Value> = {};
  for (const f of fields) {
    if (f.default === undefined) continue;
    if (f.kind === 'boolean') v[f.name] = f.default === true;
    else if (f.kind === 'multi') v[f.name] = Array.isArray(f.default) ? f.default.map(String) : [];
    else v[f.name] = String(f.default);
  }
  return v;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The content to send and the problems that must be fixed first (empty when valid). */
export function elicitContent(
  fields: readonly ElicitField[],
  values: Record<string, Value>,
): { content: JsonObject; problems: string[] } {
  const content: JsonObject = {};
  const problems: string[] = [];
  for (const f of fields) {
    const v = values[f.name];
    const empty = v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
    if (f.kind === 'boolean') {
      if (v !== undefined) content[f.name] = v === true;
      else if (f.required) problems.push(`${f.label}: required`);
      continue;
    }
    if (empty) {
      if (f.required) problems.push(`${f.label}: required`);
      continue;
    }
    if (f.kind === 'multi') {
      const list = v as string[];
      if (f.min !== undefined && list.length < f.min)
        problems.push(`${f.label}: choose at least ${f.min}`);
      if (f.max !== undefined && list.length > f.max)
        problems.push(`${f.label}: choose at most ${f.max}`);
      content[f.name] = list;
    } else if (f.kind === 'number' || f.kind === 'integer') {
      const n = Number(v);
      if (!Number.isFinite(n) || (f.kind === 'integer' && !Number.isInteger(n)))
        problems.push(
          `${f.label}: must be ${f.kind === 'integer' ? 'a whole number' : 'a number'}`,
        );
      else if (f.min !== undefined && n < f.min)
        problems.push(`${f.label}: must be at least ${f.min}`);
      else if (f.max !== undefined && n > f.max)
        problems.push(`${f.label}: must be at most ${f.max}`);
      content[f.name] = n;
    } else {
      const s = String(v);
      if (f.kind === 'select' && !f.choices?.some((c) => c.value === s))
        problems.push(`${f.label}: not one of the choices`);
      if (f.format === 'email' && !EMAIL.test(s)) problems.push(`${f.label}: not an email address`);
      if (f.format === 'uri' && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(s))
        problems.push(`${f.label}: not a URI (a scheme, a colon, then the address)`);
      if (f.format === 'date' && !DATE.test(s))
        problems.push(`${f.label}: not a date (YYYY-MM-DD)`);
      if (f.min !== undefined && s.length < f.min)
        problems.push(`${f.label}: at least ${f.min} characters`);
      if (f.max !== undefined && s.length > f.max)
        problems.push(`${f.label}: at most ${f.max} characters`);
      content[f.name] = s;
    }
  }
  return { content, problems };
}

const INPUT_TYPE: Record<string, string> = {
  email: 'email',
  uri: 'url',
  date: 'date',
  'date-time': 'datetime-local',
};

export function ElicitForm({
  schema,
  onAccept,
}: {
  schema: unknown;
  onAccept: (content: JsonObject) => void;
}) {
  const fields = useMemo(() => elicitFields(schema), [schema]);
  const [values, setValues] = useState<Record<string, Value>>(() => initialValues(fields));
  const { content, problems } = elicitContent(fields, values);
  const set = (name: string, v: Value): void => setValues((o) => ({ ...o, [name]: v }));
  return (
    <div className="schema-form" data-testid="elicit-form">
      {fields.map((f) => {
        const id = `arg-${f.name}`;
        const v = values[f.name];
        return (
          <div key={f.name} className="field">
            <label htmlFor={id} className="field-name">
              <SafeText text={f.label} max={200} />
              {f.required ? ' *' : ''}
            </label>
            {f.kind === 'boolean' ? (
              <input
                id={id}
                type="checkbox"
                data-testid={id}
                checked={v === true}
                onChange={(e) => set(f.name, e.target.checked)}
              />
            ) : f.kind === 'select' ? (
              <select
                id={id}
                data-testid={id}
                value={typeof v === 'string' ? v : ''}
                onChange={(e) => set(f.name, e.target.value)}
              >
                <option value="">—</option>
                {f.choices?.map((c) => (
                  <option key={c.value} value={c.value}>
                    {toDisplay(c.label, 200)}
                  </option>
                ))}
              </select>
            ) : f.kind === 'multi' ? (
              <span className="multi" data-testid={id}>
                {f.choices?.map((c) => {
                  const list = Array.isArray(v) ? v : [];
                  return (
                    <label key={c.value} className="choice">
                      <input
                        type="checkbox"
                        value={c.value}
                        checked={list.includes(c.value)}
                        onChange={(e) =>
                          set(
                            f.name,
                            e.target.checked
                              ? [...list, c.value]
                              : list.filter((x) => x !== c.value),
                          )
                        }
                      />
                      {toDisplay(c.label, 200)}
                    </label>
                  );
                })}
              </span>
            ) : (
              <input
                id={id}
                data-testid={id}
                type={f.kind === 'string' ? (INPUT_TYPE[f.format ?? ''] ?? 'text') : 'number'}
                step={f.kind === 'integer' ? 1 : f.kind === 'number' ? 'any' : undefined}
                value={typeof v === 'string' ? v : ''}
                onChange={(e) => set(f.name, e.target.value)}
              />
            )}
            {f.description && (
              <SafeText className="field-desc dim" text={f.description} max={1000} />
            )}
          </div>
        );
      })}
      {problems.length > 0 && (
        <ul className="problems" data-testid="elicit-problems">
          {problems.map((p) => (
            <li key={p}>
              <SafeText text={p} max={300} />
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        className="primary"
        data-testid="server-request-answer"
        disabled={problems.length > 0}
        onClick={() => onAccept(content)}
      >
        Accept
      </button>
    </div>
  );
}
