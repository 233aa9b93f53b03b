/**
 * What a PromQL expression refers to, for checking deploy/'s rules and dashboard against a real
 * scrape: the series names it selects, and the label names in its matchers and groupings.
 * Not a PromQL parser: promtool checks the syntax (`check rules`); this only has to find every
 * name, and it errs towards reporting a token as a metric, which then fails the check loudly.
 */
const AGGREGATORS = new Set(['sum', 'min', 'max', 'avg', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'group']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'Inf', 'NaN']);
const GROUPING = /\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;

export interface References {
  /** Series names selected (`x_bucket` as written). */
  metrics: string[];
  /** [series, label] for each matcher inside a selector's braces. */
  matchers: Array<[string, string]>;
  /** Label names in by / without / on / ignoring / group_left / group_right lists. */
  grouping: string[];
}

export function references(expr: string): References {
  const out: References = { metrics: [], matchers: [], grouping: [] };
  // Strings first (they may hold anything), then ranges and subqueries ([5m], [$__rate_interval]).
  let e = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""').replace(/\[[^\]]*\]/g, ' ');
  e = e.replace(GROUPING, (_m, _kw: string, list: string) => {
    for (const l of list.split(',').map((x) => x.trim()).filter(Boolean)) out.grouping.push(l);
    return ' ';
  });
  // Selectors: a name with braces, or braces alone (`{__name__=...}` is not used here).
  e = e.replace(/([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}/g, (_m, name: string | undefined, body: string) => {
    if (!name) throw new Error(`a selector without a metric name in: ${expr}`);
    for (const m of body.split(',').map((x) => x.trim()).filter(Boolean)) {
      const label = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/.exec(m);
      if (!label) throw new Error(`cannot read matcher "${m}" in: ${expr}`);
      out.matchers.push([name, label[1]!]);
    }
    return ` ${name} `;
  });
  // Numbers (with exponents and duration units) before names, so 300e6 and 1h are not names.
  for (const t of e.matchAll(/(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?:ms|[smhdwy])?)|([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, num, name, call] = t;
    if (num || !name) continue;
    if (call || AGGREGATORS.has(name) || KEYWORDS.has(name)) continue;
    out.metrics.push(name);
  }
  return out;
}

/** The expressions of a Grafana dashboard: every `expr`, and the template variables' queries. */
export function dashboardExpressions(dashboard: unknown): { exprs: string[]; variables: string[] } {
  const exprs: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'expr' && typeof x === 'string') exprs.push(x);
        else if (k !== 'templating') walk(x);
      }
    }
  };
  walk(dashboard);
  const list = (dashboard as { templating?: { list?: Array<{ type: string; query: unknown }> } }).templating?.list ?? [];
  const variables = list.filter((t) => t.type === 'query').map((t) => (typeof t.query === 'string' ? t.query : (t.query as { query: string }).query));
  return { exprs, variables };
}
