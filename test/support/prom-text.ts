/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: it throws on the
 * first line it does not accept (naming the line), so a malformed /metrics fails the test rather
 * than being half read. prom-client has a serializer and no parser; the one npm parser
 * (parse-prometheus-text-format) last saw a release in 2024. `promtool check metrics`, Prometheus's
 * own parser, which the tests run too, is the second, independent opinion.
 *
 * Checked: HELP and TYPE at most once per family and before its samples; a family's samples
 * contiguous; metric and label names; label values' escapes (\\ \" \n only); values (floats,
 * NaN, +Inf, -Inf as Go's ParseFloat spells them); a histogram's series only `_bucket` (with `le`), `_sum`, `_count`; no sample
 * twice with the same labels.
 */
export interface Sample {
  /** The series name as written (`x_bucket`, `x_sum`...). */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string | undefined;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** A float as Go's strconv.ParseFloat reads it, which is what the format specifies (prom-client writes `Nan`). */
function parseValue(s: string, line: string): number {
  if (/^nan$/i.test(s)) return NaN;
  if (/^\+?inf(inity)?$/i.test(s)) return Infinity;
  if (/^-inf(inity)?$/i.test(s)) return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) throw new Error(`bad value "${s}" in: ${line}`);
  return Number(s);
}

/** `{a="1",b="x\"y"}` from position `i` (at `{`); returns the labels and the index after `}`. */
function parseLabels(line: string, i: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  i++;
  while (line[i] !== '}') {
    const eq = line.indexOf('=', i);
    if (eq < 0) throw new Error(`unterminated labels in: ${line}`);
    const name = line.slice(i, eq);
    if (!LABEL.test(name)) throw new Error(`bad label name "${name}" in: ${line}`);
    if (Object.hasOwn(labels, name)) throw new Error(`label "${name}" twice in: ${line}`);
    if (line[eq + 1] !== '"') throw new Error(`label value not quoted in: ${line}`);
    let v = '';
    let j = eq + 2;
    for (;;) {
      const c = line[j];
      if (c === undefined) throw new Error(`unterminated label value in: ${line}`);
      if (c === '"') break;
      if (c === '\\') {
        const e = line[j + 1];
        if (e === '\\') v += '\\';
        else if (e === '"') v += '"';
        else if (e === 'n') v += '\n';
        else throw new Error(`bad escape \\${e} in: ${line}`);
        j += 2;
      } else {
        v += c;
        j++;
      }
    }
    labels[name] = v;
    i = j + 1;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') throw new Error(`expected , or } after label "${name}" in: ${line}`);
  }
  return [labels, i + 1];
}

function familyOf(series: string, families: Map<string, Family>): Family | undefined {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!series.endsWith(suffix)) continue;
    const f = families.get(series.slice(0, -suffix.length));
    if (f && (f.type === 'histogram' || f.type === 'summary')) return f;
  }
  return families.get(series);
}

export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, Family>();
  const finished = new Set<string>();
  let current: Family | undefined;
  const seen = new Set<string>();
  const open = (name: string): Family => {
    if (current?.name === name) return current;
    if (finished.has(name) || families.has(name)) throw new Error(`family ${name} is not contiguous`);
    if (current) finished.add(current.name);
    current = { name, type: 'untyped', help: undefined, samples: [] };
    families.set(name, current);
    return current;
  };
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (!NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
      const f = open(name);
      if (f.samples.length) throw new Error(`${kind} after samples in: ${line}`);
      if (kind === 'HELP') {
        if (f.help !== undefined) throw new Error(`second HELP for ${name}`);
        f.help = rest;
      } else {
        if (!TYPES.has(rest)) throw new Error(`bad type in: ${line}`);
        f.type = rest as Family['type'];
      }
      continue;
    }
    if (line.startsWith('#')) continue; // a comment
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (!m) throw new Error(`not a sample: ${line}`);
    const series = m[1]!;
    let labels: Record<string, string> = {};
    let i = series.length;
    if (line[i] === '{') [labels, i] = parseLabels(line, i);
    const rest = line.slice(i);
    const vm = /^ (\S+)( -?\d+)?$/.exec(rest);
    if (!vm) throw new Error(`bad value part "${rest}" in: ${line}`);
    const f = familyOf(series, families) ?? open(series);
    if (f !== current) throw new Error(`family ${f.name} is not contiguous (at ${line})`);
    if (f.type === 'histogram' && !/_(bucket|sum|count)$/.test(series)) throw new Error(`histogram ${f.name} has series ${series}`);
    if (f.type === 'histogram' && series.endsWith('_bucket') && labels.le === undefined) throw new Error(`bucket without le: ${line}`);
    const key = series + JSON.stringify(Object.entries(labels).sort());
    if (seen.has(key)) throw new Error(`duplicate sample: ${line}`);
    seen.add(key);
    f.samples.push({ name: series, labels, value: parseValue(vm[1]!, line) });
  }
  return families;
}

/** The samples named `series` whose labels include `match`. */
export function samples(families: Map<string, Family>, series: string, match: Record<string, string> = {}): Sample[] {
  const out: Sample[] = [];
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name === series && Object.entries(match).every(([k, v]) => s.labels[k] === v)) out.push(s);
    }
  }
  return out;
}

/** The one sample named `series` matching `match`; throws when there is none or several. */
export function value(families: Map<string, Family>, series: string, match: Record<string, string> = {}): number {
  const found = samples(families, series, match);
  if (found.length !== 1) throw new Error(`${found.length} samples of ${series} ${JSON.stringify(match)}`);
  return found[0]!.value;
}
