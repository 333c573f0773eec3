import { describe, expect, it } from 'vitest';
import { canonicalJson, keyedPart, looseRequestKey, requestKey } from '../../../../src/features/llm/recordings/key.js';

const base = { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false };

describe('request keys', () => {
  it('ignore key order and the parts that do not decide the answer', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    const reordered = { stream: false, messages: [{ content: 'hi', role: 'user' }], model: 'm' };
    expect(requestKey(keyedPart(reordered))).toBe(requestKey(keyedPart(base)));
    expect(requestKey(keyedPart({ ...base, temperature: 0.2, user: 'x' }))).toBe(requestKey(keyedPart(base)));
  });

  it.each([
    ['model', { ...base, model: 'other' }],
    ['messages', { ...base, messages: [{ role: 'user', content: 'hello' }] }],
    ['tools', { ...base, tools: [{ type: 'function', function: { name: 't' } }] }],
    ['response_format', { ...base, response_format: { type: 'json_schema' } }],
    ['stream', { ...base, stream: true }],
  ])('change when %s changes', (_part, changed) => {
    expect(requestKey(keyedPart(changed))).not.toBe(requestKey(keyedPart(base)));
  });

  it('the loose key ignores only tool results', () => {
    const withTool = (content: string) => ({ ...base, messages: [...base.messages, { role: 'tool', tool_call_id: 'c1', content }] });
    expect(requestKey(keyedPart(withTool('pid 1')))).not.toBe(requestKey(keyedPart(withTool('pid 2'))));
    expect(looseRequestKey(keyedPart(withTool('pid 1')))).toBe(looseRequestKey(keyedPart(withTool('pid 2'))));
    expect(looseRequestKey(keyedPart(base))).not.toBe(looseRequestKey(keyedPart({ ...base, messages: [{ role: 'user', content: 'other' }] })));
  });
});
