import { parser } from '@prometheus-io/lezer-promql';

export interface PromqlUse {
  /** Syntax errors, as the text around each error node; empty when the expression parses. */
  errors: string[];
  /** Each metric the expression selects, with the labels its matchers name. */
  selectors: { metric: string; labels: string[] }[];
  /** Labels named by `by`, `without`, `on` and `ignoring`. */
  groupingLabels: string[];
}

/** What one PromQL expression uses, read from its syntax tree (@prometheus-io/lezer-promql). */
export function readPromql(expr: string): PromqlUse {
  const use: PromqlUse = { errors: [], selectors: [], groupingLabels: [] };
  const text = (node: { from: number; to: number }) => expr.slice(node.from, node.to);
  const cursor = parser.parse(expr).cursor();
  do {
    const node = cursor.node;
    if (node.type.isError) use.errors.push(`at ${node.from}: …${expr.slice(Math.max(0, node.from - 20), node.from + 20)}…`);
    if (node.name === 'VectorSelector') {
      const metric = node.getChild('Identifier');
      const labels = node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? [];
      use.selectors.push({
        metric: metric ? text(metric) : '',
        labels: labels.map((m) => text(m.getChild('LabelName')!)),
      });
    }
    if (node.name === 'GroupingLabels') use.groupingLabels.push(...node.getChildren('LabelName').map(text));
  } while (cursor.next());
  return use;
}
