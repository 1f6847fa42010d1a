// Validates docs/asyncapi.yaml with the AsyncAPI parser (@asyncapi/parser: the schema of AsyncAPI 3, $ref resolution,
// and its Spectral rule set). Errors and warnings fail; hints and information are printed.
//   node .ci/validate-asyncapi.mjs <node_modules dir> docs/asyncapi.yaml
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [modules, file] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), 'noop.js'));
const { Parser } = require('@asyncapi/parser');

const severities = ['error', 'warning', 'info', 'hint'];
const parser = new Parser();
const { document, diagnostics } = await parser.parse(readFileSync(file, 'utf8'), { source: path.resolve(file) });
let failed = false;
for (const d of diagnostics) {
  const where = d.range ? `${file}:${d.range.start.line + 1}` : file;
  const at = d.path && d.path.length ? ` (${d.path.join('.')})` : '';
  console.log(`api: ${where} ${severities[d.severity]} ${d.code}: ${d.message}${at}`);
  failed ||= d.severity <= 1;
}
if (!document || failed) {
  console.log(`api: ${file} is not a valid AsyncAPI document`);
  process.exit(1);
}
const channels = document.channels().all().map(c => c.address());
const messages = document.components().messages().all().length;
console.log(`api: ${file} valid AsyncAPI ${document.version()}: ${channels.length} channels (${channels.join(', ')}),`
  + ` ${document.operations().all().length} operations, ${messages} messages`);
