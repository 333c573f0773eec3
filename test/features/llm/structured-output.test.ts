import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseStructured, structuredFormat } from '../../../src/features/llm/structured-output.js';

describe('structuredFormat', () => {
  it('makes nested schemas strict: every property required, optional ones nullable, no extras', () => {
    const schema = z.object({
      items: z.array(z.object({ name: z.string(), qty: z.number().optional() })),
      kind: z.enum(['a', 'b']).default('a'),
      meta: z.object({ note: z.string() }).optional(),
    }).describe('Order Form!');
    const { name, responseFormat } = structuredFormat(schema);
    expect(name).toBe('Order_Form_');
    expect(responseFormat.json_schema.schema).toEqual({
      type: 'object',
      description: 'Order Form!',
      properties: {
        items: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' }, qty: { type: ['number', 'null'] } }, required: ['name', 'qty'], additionalProperties: false },
        },
        kind: { type: 'string', enum: ['a', 'b'] },
        meta: { type: ['object', 'null'], properties: { note: { type: 'string' } }, required: ['note'], additionalProperties: false },
      },
      required: ['items', 'kind', 'meta'],
      additionalProperties: false,
    });
  });

  it('names an undescribed schema Response and rejects non-schemas', () => {
    expect(structuredFormat(z.object({ a: z.string() })).name).toBe('Response');
    expect(() => structuredFormat({ a: 1 })).toThrow(
      "ask(question, { schema }) needs a zod schema such as z.object({ … }).describe('Name'), got object.",
    );
  });

  it('parses, drops forced nulls at every level, and validates', () => {
    const format = structuredFormat(z.object({ items: z.array(z.object({ name: z.string(), qty: z.number().optional() })), meta: z.object({ n: z.number() }).optional() }).describe('O'));
    expect(parseStructured(format, { content: '{"items":[{"name":"x","qty":null},{"name":"y","qty":2}],"meta":null}' })).toEqual({
      items: [{ name: 'x' }, { name: 'y', qty: 2 }],
    });
  });
});
