import * as z from 'zod';
import { describeZodIssues } from '../../container/options.js';
import { runbookError } from '../../errors.js';

type JsonSchema = Record<string, unknown>;

/** What `response_format` needs, plus the schema before strictifying (to undo optional → nullable). */
export interface StructuredFormat {
  name: string;
  schema: z.ZodType;
  responseFormat: { type: 'json_schema'; json_schema: { name: string; strict: true; schema: JsonSchema } };
  loose: JsonSchema;
}

// OpenAI only accepts names matching ^[a-zA-Z0-9_-]{1,64}$.
function schemaName(schema: z.ZodType): string {
  const cleaned = (schema.description ?? 'Response').trim().replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 64);
  return cleaned || 'Response';
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function makeNullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  if (Array.isArray(schema.type)) return schema.type.includes('null') ? schema : { ...schema, type: [...schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

// Strict mode wants every property required and no extra ones; an optional
// field becomes required-but-nullable, and the null is dropped again on parse.
function strictify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictify);
  if (!isObject(node)) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === 'default') continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, strictify(sub)]));
    } else {
      out[key] = strictify(value);
    }
  }
  if (isObject(out.properties)) {
    const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
    const props = out.properties as Record<string, JsonSchema>;
    for (const name of Object.keys(props)) if (!required.has(name)) props[name] = makeNullable(props[name]);
    out.required = Object.keys(props);
    out.additionalProperties = false;
  }
  return out;
}

/** Builds the strict `response_format` for a zod schema; its `.describe('Name')` names it. */
export function structuredFormat(schema: unknown): StructuredFormat {
  if (!isObject(schema) || typeof (schema as { safeParse?: unknown }).safeParse !== 'function') {
    throw runbookError(
      'RUNBOOK_INVALID_OPTIONS',
      `ask(question, { schema }) needs a zod schema such as z.object({ … }).describe('Name'), got ${schema === null ? 'null' : typeof schema}.`,
    );
  }
  const zodSchema = schema as unknown as z.ZodType;
  const loose = z.toJSONSchema(zodSchema, { io: 'output' }) as JsonSchema;
  const name = schemaName(zodSchema);
  return {
    name,
    schema: zodSchema,
    loose,
    responseFormat: { type: 'json_schema', json_schema: { name, strict: true, schema: strictify(loose) as JsonSchema } },
  };
}

// Removes the nulls strict mode forced into fields the zod schema calls optional.
function dropForcedNulls(value: unknown, loose: unknown): unknown {
  if (!isObject(loose)) return value;
  if (Array.isArray(value)) return value.map((item) => dropForcedNulls(item, loose.items));
  if (!isObject(value) || !isObject(loose.properties)) return value;
  const required = new Set(Array.isArray(loose.required) ? (loose.required as string[]) : []);
  const out: JsonSchema = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null && !required.has(key)) continue;
    out[key] = dropForcedNulls(item, (loose.properties as JsonSchema)[key]);
  }
  return out;
}

function quote(text: string): string {
  return text.length > 300 ? `${JSON.stringify(text.slice(0, 300))}…` : JSON.stringify(text);
}

/** Parses and validates the model's final message; every failure quotes what came back. */
export function parseStructured(format: StructuredFormat, message: { content?: string | null; refusal?: string | null }): unknown {
  if (message.refusal) {
    throw runbookError(
      'RUNBOOK_LLM_REFUSAL',
      `The model refused to answer with the ${format.name} schema: ${quote(message.refusal)}. Rephrase the question or relax the schema.`,
    );
  }
  const content = message.content ?? '';
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (error) {
    throw runbookError(
      'RUNBOOK_LLM_INVALID_JSON',
      `The model's answer for the ${format.name} schema is not valid JSON (${(error as Error).message}); it answered ${quote(content)}. Check that the endpoint supports response_format json_schema.`,
      { cause: error },
    );
  }
  const cleaned = dropForcedNulls(data, format.loose);
  const result = format.schema.safeParse(cleaned);
  if (!result.success) {
    const problems = describeZodIssues(result.error, cleaned).join('; ');
    throw runbookError(
      'RUNBOOK_LLM_SCHEMA_MISMATCH',
      `The model's answer does not match the ${format.name} schema: ${problems}; it answered ${quote(content)}. Check that the endpoint supports strict json_schema output.`,
      { cause: result.error },
    );
  }
  return result.data;
}
