/**
 * A strict TAP 14 reader for tests: version line, plan, test points with
 * escaped descriptions and SKIP/TODO directives, YAML diagnostics blocks (the
 * subset our reporter writes: JSON-style strings, numbers, `|2-` literals) and
 * subtests indented by four spaces. Any line it does not understand throws.
 */
export interface TapPoint {
  ok: boolean;
  id: number;
  description: string;
  directive?: { kind: 'SKIP' | 'TODO'; reason: string };
  diagnostics?: Record<string, string | number>;
  subtest?: TapBlock;
}

export interface TapBlock {
  /** From `# Subtest: name`. */
  name?: string;
  plan?: { start: number; end: number };
  points: TapPoint[];
  comments: string[];
}

const pointLine = /^(not ok|ok)(?: (\d+))?(?: -)?(?: (.*))?$/;

// Splits `desc \# still desc # SKIP why` at the first unescaped `#`, unescaping the description.
function splitDescription(rest: string): Pick<TapPoint, 'description' | 'directive'> {
  let description = '';
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i];
    if (ch === '\\' && (rest[i + 1] === '\\' || rest[i + 1] === '#')) {
      description += rest[++i];
    } else if (ch === '#') {
      const directive = /^#\s*(SKIP|TODO)\S*\s*(.*)$/i.exec(rest.slice(i));
      if (!directive) throw new Error(`unknown directive in ${JSON.stringify(rest)}`);
      return { description: description.trimEnd(), directive: { kind: directive[1].toUpperCase() as 'SKIP' | 'TODO', reason: directive[2] } };
    } else {
      if (ch === '\\') throw new Error(`unescaped backslash in ${JSON.stringify(rest)}`);
      description += ch;
    }
  }
  return { description };
}

function parseYaml(lines: string[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (let i = 0; i < lines.length; i++) {
    const field = /^([a-z_]+): (.*)$/.exec(lines[i]);
    if (!field) throw new Error(`bad YAML line ${JSON.stringify(lines[i])}`);
    const [, key, raw] = field;
    if (raw === '|2-') {
      const body: string[] = [];
      while (i + 1 < lines.length && (lines[i + 1] === '' || lines[i + 1].startsWith('  '))) body.push(lines[++i].slice(2));
      out[key] = body.join('\n');
    } else if (raw.startsWith('"')) out[key] = JSON.parse(raw) as string;
    else if (/^-?\d+(\.\d+)?$/.test(raw)) out[key] = Number(raw);
    else out[key] = raw;
  }
  return out;
}

function parseBlock(lines: string[], name?: string): TapBlock {
  const block: TapBlock = { name, points: [], comments: [] };
  let pending: { name?: string; lines: string[] } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('    ') || (line === '' && pending)) {
      if (!pending) throw new Error(`indented line outside a subtest: ${JSON.stringify(line)}`);
      pending.lines.push(line.slice(4));
      continue;
    }
    if (line.startsWith('# Subtest: ')) {
      pending = { name: line.slice('# Subtest: '.length), lines: [] };
      continue;
    }
    if (line.startsWith('#')) {
      block.comments.push(line.slice(1).trim());
      continue;
    }
    const plan = /^1\.\.(\d+)$/.exec(line);
    if (plan) {
      if (block.plan) throw new Error('two plans');
      block.plan = { start: 1, end: Number(plan[1]) };
      continue;
    }
    const point = pointLine.exec(line);
    if (!point) throw new Error(`not a TAP line: ${JSON.stringify(line)}`);
    const parsed: TapPoint = { ok: point[1] === 'ok', id: Number(point[2]), ...splitDescription(point[3] ?? '') };
    if (pending) {
      parsed.subtest = parseBlock(pending.lines, pending.name);
      pending = undefined;
    }
    if (lines[i + 1] === '  ---') {
      const end = lines.indexOf('  ...', i + 2);
      if (end < 0) throw new Error('unterminated YAML block');
      parsed.diagnostics = parseYaml(lines.slice(i + 2, end).map((l) => (l.startsWith('  ') ? l.slice(2) : l)));
      i = end;
    }
    block.points.push(parsed);
  }
  if (pending) throw new Error('subtest without its test point');
  return block;
}

export function parseTap(text: string): TapBlock {
  const lines = text.split('\n');
  if (lines[0] !== 'TAP version 14') throw new Error(`first line is ${JSON.stringify(lines[0])}, not "TAP version 14"`);
  if (lines.at(-1) !== '') throw new Error('output does not end with a newline');
  const block = parseBlock(lines.slice(1, -1));
  const check = (b: TapBlock) => {
    if (!b.plan) throw new Error(`no plan in ${b.name ?? 'the top level'}`);
    if (b.points.length !== b.plan.end) throw new Error(`plan says ${b.plan.end}, found ${b.points.length} test points`);
    b.points.forEach((p, i) => {
      if (p.id !== i + 1) throw new Error(`test point ${i + 1} is numbered ${p.id}`);
      if (p.subtest) check(p.subtest);
    });
  };
  check(block);
  return block;
}
