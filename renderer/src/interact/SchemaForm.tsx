// A form generated from a tool's input schema. Simple fields get inputs; nested objects and
// arrays get a JSON box. Labels and descriptions are server text, shown through SafeText.

import { SafeText, toDisplay } from '../components/SafeText.js';

type Props = Record<string, unknown>;
const isObject = (v: unknown): v is Props =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export interface FieldSpec {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';
  required: boolean;
  description?: string;
  options?: unknown[];
  default?: unknown;
}

export function fieldsOf(schema: unknown): FieldSpec[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const required = Array.isArray(schema.required)
    ? schema.required.filter((r): r is string => typeof r === 'string')
    : [];
  return Object.entries(schema.properties)
    .slice(0, 200)
    .map(([name, p]) => {
      const prop = isObject(p) ? p : {};
      const t = typeof prop.type === 'string' ? prop.type : undefined;
      let type: FieldSpec['type'] = 'json';
      if (Array.isArray(prop.enum)) type = 'enum';
      else if (t === 'string' || t === 'number' || t === 'integer' || t === 'boolean') type = t;
      const f: FieldSpec = { name, type, required: required.includes(name) };
      if (typeof prop.description === 'string') f.description = prop.description;
      if (Array.isArray(prop.enum)) f.options = prop.enum;
      if ('default' in prop) f.default = prop.default;
      return f;
    });
}

/** Form values (strings from inputs) → the arguments object; throws with a readable message. */
export function argsFromForm(
  fields: readonly FieldSpec[],
  values: Record<string, string | boolean>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (v === undefined || v === '') continue;
    switch (f.type) {
      case 'boolean':
        out[f.name] = v === true;
        break;
      case 'number':
      case 'integer': {
        const n = Number(v);
        if (!Number.isFinite(n)) throw new Error(`${f.name}: "${String(v)}" is not a number`);
        out[f.name] = n;
        break;
      }
      case 'enum':
        out[f.name] = (f.options ?? []).find((o) => JSON.stringify(o) === v) ?? v;
        break;
      case 'json':
        try {
          out[f.name] = JSON.parse(String(v));
        } catch (e) {
          throw new Error(`${f.name}: not valid JSON (${(e as Error).message})`, { cause: e });
        }
        break;
      default:
        out[f.name] = v;
    }
  }
  return out;
}

export interface SchemaFormProps {
  fields: readonly FieldSpec[];
  values: Record<string, string | boolean>;
  onChange: (name: string, v: string | boolean) => void;
}

export function SchemaForm({ fields, values, onChange }: SchemaFormProps) {
  if (fields.length === 0) return <p className="dim">This tool takes no arguments.</p>;
  return (
    <div className="schema-form">
      {fields.map((f) => {
        const id = `arg-${f.name}`;
        const v = values[f.name];
        return (
          <label key={f.name} htmlFor={id} className="field">
            <span className="field-name">
              <SafeText text={f.name} max={100} />
              {f.required ? ' *' : ''} <small className="dim">{f.type}</small>
            </span>
            {f.type === 'boolean' ? (
              <input
                id={id}
                type="checkbox"
                data-testid={`arg-${f.name}`}
                checked={v === true}
                onChange={(e) => onChange(f.name, e.target.checked)}
              />
            ) : f.type === 'enum' ? (
              <select
                id={id}
                data-testid={`arg-${f.name}`}
                value={typeof v === 'string' ? v : ''}
                onChange={(e) => onChange(f.name, e.target.value)}
              >
                <option value="">—</option>
                {(f.options ?? []).map((o) => (
                  <option key={JSON.stringify(o)} value={JSON.stringify(o)}>
                    {toDisplay(typeof o === 'string' ? o : JSON.stringify(o), 200)}
                  </option>
                ))}
              </select>
            ) : f.type === 'json' ? (
              <textarea
                id={id}
                data-testid={`arg-${f.name}`}
                rows={3}
                value={typeof v === 'string' ? v : ''}
                placeholder="JSON"
                onChange={(e) => onChange(f.name, e.target.value)}
              />
            ) : (
              <input
                id={id}
                data-testid={`arg-${f.name}`}
                type={f.type === 'string' ? 'text' : 'number'}
                value={typeof v === 'string' ? v : ''}
                onChange={(e) => onChange(f.name, e.target.value)}
              />
            )}
            {f.description && (
              <SafeText className="field-desc dim" text={f.description} max={1000} />
            )}
          </label>
        );
      })}
    </div>
  );
}
