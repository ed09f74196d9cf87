/**
 * The report as Markdown (GitHub tables): one row per SP 800-22 test, the SP 800-90B estimates, and the
 * health counters. Numbers only — the HTML page carries the plots.
 */
import { summarize, type ReportData } from './model.js';

const fmt = (x: number, d = 4): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderMarkdown(data: ReportData): string {
  const rows = summarize(data);
  const out: string[] = [];
  out.push(`# ${data.title}`, '');
  out.push(
    `Generated ${data.generatedAt}. Input: ${data.input}; ${data.results.length} sequence(s) of ${data.bitsPerSequence} bits; α = ${data.alpha}; ${fmt(data.wallSeconds, 1)} s.`,
    '',
  );
  out.push('## NIST SP 800-22 Rev. 1a', '');
  out.push(
    table(
      [
        'test',
        'P-values per sequence',
        'min proportion passing',
        'acceptable (§4.2.1)',
        'min P_T (§4.2.2)',
        'slots out of bounds',
        'ms/sequence',
        'verdict',
      ],
      rows.map((r) => [
        r.test,
        String(r.slots),
        r.slots ? fmt(r.minProportion) : '—',
        `${fmt(r.range[0])}–${fmt(Math.min(1, r.range[1]))}`,
        r.minUniformityP === undefined ? 'n/a (< 55 sequences)' : fmt(r.minUniformityP, 6),
        String(r.proportionFailures + r.uniformityFailures),
        fmt(r.ms, 1),
        r.verdict,
      ]),
    ),
  );
  if (data.results.length === 1) {
    out.push('', 'With one sequence the proportion test is weak and uniformity is not computed; test 100 or more sequences for a verdict.');
    const seq = data.results[0] ?? [];
    out.push(
      '',
      table(
        ['test', 'P-value (first slot)', 'slots with P < α'],
        seq.map((r) => [
          r.test,
          r.applicable ? fmt(r.pValues[0] ?? 0, 6) : `not applicable: ${r.reason ?? ''}`,
          String(r.pValues.filter((p) => p < data.alpha).length),
        ]),
      ),
    );
  }
  out.push('', '## SP 800-90B min-entropy estimates of the raw sources', '');
  if (data.entropy.length === 0)
    out.push('No raw source is available here (conditioned sources are not assessed: their output says nothing about their noise).');
  for (const e of data.entropy) {
    out.push(`### ${e.source} (${e.samples} samples, ${e.assessment.bitsPerSymbol} bits each)`, '');
    out.push(`Assessed min-entropy: **${fmt(e.assessment.minEntropy)} bits per sample** (limited by ${e.assessment.limitedBy}).`, '');
    out.push(
      table(
        ['estimator', 'section', 'min-entropy'],
        [...e.assessment.original, ...e.assessment.bitstring.map((b) => ({ ...b, estimator: `bitstring:${b.estimator}` }))].map((x) => [
          x.estimator,
          x.section,
          fmt(x.minEntropy),
        ]),
      ),
    );
    out.push('');
  }
  if (data.health) {
    const h = data.health;
    out.push('## Health tests and generator counters', '');
    out.push(
      `Generator state: **${h.state}**${h.reason ? ` (${h.reason})` : ''}; HMAC_DRBG ${h.hash}; ${h.counters.reseeds} reseeds; ${h.counters.bytes} bytes served in ${h.counters.requests} requests.`,
      '',
    );
    out.push(
      table(
        ['source', 'kind', 'state', 'start-up', 'credit bits/byte', 'reads', 'bytes read', 'alarms', 'last failure'],
        h.sources.map((s) => [
          s.id,
          s.kind,
          s.state,
          s.startup,
          fmt(s.creditBitsPerByte, 2),
          String(s.reads),
          String(s.bytesRead),
          String(s.alarms),
          s.lastFailure ? `${s.lastFailure.test} ${s.lastFailure.observed}/${s.lastFailure.cutoff}` : '—',
        ]),
      ),
    );
  }
  return out.join('\n') + '\n';
}
