import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { repoRoot } from './cli.js';

/** The JSON Schema the package ships for its JSON report. */
export const shippedSchemaText = readFileSync(join(repoRoot, 'schema/report.schema.json'), 'utf8');

// strict: a schema keyword ajv does not know is an error, not silently ignored.
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(JSON.parse(shippedSchemaText) as object);

/** ajv's verdict on a report against the shipped schema: '' when valid, else each error on a line. */
export function schemaErrors(report: unknown): string {
  if (validate(report)) return '';
  return (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`).join('\n');
}
