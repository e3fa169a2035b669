// `mrd check --format sarif` output validates against the SARIF 2.1.0 JSON schema (the
// schema file shipped by Microsoft's SARIF multitool package) and carries the diagnostics.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';

const requireHere = createRequire(__filename);
const schemaPath = path.join(path.dirname(requireHere.resolve('@microsoft/sarif-multitool-linux/package.json')), 'sarif-2.1.0.json');

function check(text: string, format: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mrd-sarif-'));
  const file = path.join(dir, 'broken.mrd');
  writeFileSync(file, text);
  let out = '';
  const code = runCli(['check', file, '--format', format], { out: (s) => (out += s), err: () => {} });
  return { code, out, file };
}

// Two problems: a dangling alias target and a size beyond 2^64.
const broken = 'container system size 2^64 {\n  alias a -> nowhere size 4K\n  ram big size 2^64 + 1\n}\n';

describe('mrd check --format sarif', () => {
  it('is valid SARIF 2.1.0 and lists every diagnostic with its rule and 1-based region', () => {
    const { code, out, file } = check(broken, 'sarif');
    expect(code).toBe(1);
    const log = JSON.parse(out);
    const Ajv = (Ajv2020 as unknown as { default?: typeof Ajv2020 }).default ?? Ajv2020;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The validator is not vacuous: a log with a wrong level is rejected.
    expect(validate({ ...log, runs: [{ ...log.runs[0], results: [{ ...log.runs[0].results[0], level: 'fatal' }] }] })).toBe(false);
    const results = log.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
    const json = JSON.parse(check(broken, 'json').out) as { code: string; range: { start: { line: number } } }[];
    expect(results.map((r) => r.ruleId)).toEqual(json.map((d) => d.code));
    expect(results.map((r) => r.locations[0].physicalLocation.region.startLine)).toEqual(json.map((d) => d.range.start.line + 1));
    expect(results.every((r) => r.locations[0].physicalLocation.artifactLocation.uri === file)).toBe(true);
    // The dangling reference is on line 2, the oversized value on line 3.
    expect(new Set(results.map((r) => r.locations[0].physicalLocation.region.startLine))).toEqual(new Set([2, 3]));
    expect(results.some((r) => r.level === 'error')).toBe(true);
  });
});
