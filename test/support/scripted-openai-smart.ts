import type { ChatBody, ScriptedReply } from './scripted-openai-server.js';

type Schema = Record<string, unknown>;

function nonNull(schema: Schema): Schema {
  if (Array.isArray(schema.anyOf)) return nonNull((schema.anyOf as Schema[]).find((s) => s.type !== 'null') ?? {});
  if (Array.isArray(schema.type)) return { ...schema, type: (schema.type as string[]).find((t) => t !== 'null') };
  return schema;
}

function sampleNumber(name: string, schema: Schema): number {
  const lower = name.toLowerCase();
  let value = /year/.test(lower) ? 2001 : /confidence|probability/.test(lower) ? 0.9 : /score|rating/.test(lower) ? 7 : /count|total/.test(lower) ? 2 : 1;
  if (typeof schema.minimum === 'number') value = Math.max(value, schema.minimum);
  if (typeof schema.maximum === 'number') value = Math.min(value, schema.maximum);
  return value;
}

/** A value that fits `schema`, made plausible by the property's name. */
export function sampleFromSchema(input: Schema, name = 'value'): unknown {
  // Nullable is how strict schemas spell "optional": leave such fields out (null).
  const nullable = (Array.isArray(input.type) && input.type.includes('null')) || (Array.isArray(input.anyOf) && (input.anyOf as Schema[]).some((s) => s.type === 'null'));
  if (nullable) return null;
  const schema = nonNull(input);
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('const' in schema) return schema.const;
  switch (schema.type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(Object.entries(props).map(([key, sub]) => [key, sampleFromSchema(sub, key)]));
    }
    case 'array': {
      const items = (schema.items ?? {}) as Schema;
      const singular = name.replace(/ies$/, 'y').replace(/s$/, '');
      return [1, 2].map((n) => {
        const item = sampleFromSchema(items, singular);
        return typeof item === 'string' ? `${item} ${n}` : item;
      });
    }
    case 'number':
    case 'integer':
      return sampleNumber(name, schema);
    case 'boolean':
      return true;
    case 'string':
      return `example ${name}`;
    default:
      return null;
  }
}

function lastUserText(body: ChatBody): string {
  const user = [...body.messages].reverse().find((m) => m.role === 'user');
  return typeof user?.content === 'string' ? user.content : '';
}

// Tags this conversation has used so far, oldest first.
function knownTags(body: ChatBody): string[] {
  const tags: string[] = [];
  for (const message of body.messages) {
    for (const call of message.tool_calls ?? []) {
      try {
        const tag = (JSON.parse(call.function.arguments) as { tag?: unknown }).tag;
        if (typeof tag === 'string' && !tags.includes(tag)) tags.push(tag);
      } catch {
        // Not our concern: the client sent what the model answered.
      }
    }
  }
  return tags;
}

/** Tool calls a process-managing model would plausibly make for `question`. */
function planToolCalls(body: ChatBody, question: string): { name: string; arguments: unknown }[] {
  const tools = new Map((body.tools ?? []).map((tool) => [tool.function.name, tool.function]));
  const calls: { name: string; arguments: unknown }[] = [];
  const tags = knownTags(body);
  const mentioned = tags.filter((tag) => question.includes(tag));
  if (tools.has('spawnProcess') && /\bspawn\b/i.test(question)) {
    for (const match of question.matchAll(/tag "([^"]+)"\s*\(use:\s*([^)]+)\)/g)) {
      calls.push({ name: 'spawnProcess', arguments: { command: match[2].trim(), tag: match[1] } });
    }
  }
  if (tools.has('getProcessOutput') && /\b(check|read)\b/i.test(question)) {
    for (const tag of mentioned.length ? mentioned : tags) calls.push({ name: 'getProcessOutput', arguments: { tag, stream: 'stdout' } });
  }
  const command = question.match(/\brun (?:a quick )?command:?\s*"([^"]+)"/i);
  if (tools.has('runCommand') && command) calls.push({ name: 'runCommand', arguments: { command: command[1] } });
  if (tools.has('killProcess') && /\bkill\b/i.test(question)) {
    for (const tag of mentioned.length ? mentioned : tags) calls.push({ name: 'killProcess', arguments: { tag } });
  }
  if (tools.has('listProcesses') && /\b(list|confirm they are stopped)\b/i.test(question)) calls.push({ name: 'listProcesses', arguments: {} });
  // Any other tool the question names: numbers and quoted words fill its parameters in order.
  for (const [name, tool] of tools) {
    if (calls.some((call) => call.name === name) || !new RegExp(`\\b${name}\\b`).test(question)) continue;
    const numbers = (question.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
    const words = [...question.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    const props = ((tool.parameters ?? {}).properties ?? {}) as Record<string, Schema>;
    const args = Object.fromEntries(
      Object.entries(props).map(([key, sub]) => {
        const type = nonNull(sub).type;
        if ((type === 'number' || type === 'integer') && numbers.length) return [key, numbers.shift()];
        if (type === 'string' && words.length) return [key, words.shift()];
        return [key, sampleFromSchema(sub, key)];
      }),
    );
    calls.push({ name, arguments: args });
  }
  return calls;
}

// One line per tool result, the way a terse model would report back.
function summarize(body: ChatBody): string {
  const lastCalls = [...body.messages].reverse().find((m) => m.role === 'assistant' && m.tool_calls?.length);
  const lines = (lastCalls?.tool_calls ?? []).map((call) => {
    const result = body.messages.find((m) => m.role === 'tool' && m.tool_call_id === call.id);
    const text = typeof result?.content === 'string' ? result.content : '';
    let digest = text;
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        digest = ['status', 'exitCode', 'killed', 'error', 'message', 'stdout', 'output', 'stderr']
          .filter((key) => parsed[key] !== undefined && parsed[key] !== '' && parsed[key] !== null)
          .map((key) => `${key}: ${String(typeof parsed[key] === 'object' ? JSON.stringify(parsed[key]) : parsed[key]).split('\n')[0]}`)
          .join(', ') || text;
        if (Array.isArray(parsed.processes)) digest = `${parsed.processes.length} processes tracked`;
      }
    } catch {
      // Plain text results are shown as they are.
    }
    return `- **${call.function.name}** ${call.function.arguments}: ${digest.slice(0, 160)}`;
  });
  return ['Here is what the tools reported:', ...lines].join('\n');
}

/** Answers any request plausibly, so docs run end to end against this server. */
export function smartReply(body: ChatBody): ScriptedReply {
  const format = body.response_format;
  const last = body.messages[body.messages.length - 1];
  if (last?.role === 'tool') {
    if (format?.type === 'json_schema' && format.json_schema) return { json: sampleFromSchema(format.json_schema.schema) };
    return { text: summarize(body) };
  }
  const question = lastUserText(body);
  const calls = body.tools?.length ? planToolCalls(body, question) : [];
  if (calls.length) return { toolCalls: calls };
  if (format?.type === 'json_schema' && format.json_schema) return { json: sampleFromSchema(format.json_schema.schema) };
  return { text: `Scripted answer (${body.model}) to: ${question.split('\n')[0].slice(0, 120)}` };
}
