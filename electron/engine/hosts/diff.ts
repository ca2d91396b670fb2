// A unified line diff for showing what wrap/unwrap would write. Config files are small and the
// changes local, so the common head and tail are cut first and only the middle is compared (LCS);
// a middle too large to compare is shown as one replaced block.

const MAX_CELLS = 4_000_000;
const CONTEXT = 3;

type Op = { op: ' ' | '-' | '+'; line: string };

function lcsOps(a: string[], b: string[]): Op[] {
  if (a.length * b.length > MAX_CELLS)
    return [
      ...a.map((line) => ({ op: '-' as const, line })),
      ...b.map((line) => ({ op: '+' as const, line })),
    ];
  const w = b.length + 1;
  const t = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      t[i * w + j] =
        a[i] === b[j]
          ? t[(i + 1) * w + j + 1]! + 1
          : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      ops.push({ op: ' ', line: a[i]! });
      i++;
      j++;
    } else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) ops.push({ op: '-', line: a[i++]! });
    else ops.push({ op: '+', line: b[j++]! });
  }
  while (i < a.length) ops.push({ op: '-', line: a[i++]! });
  while (j < b.length) ops.push({ op: '+', line: b[j++]! });
  return ops;
}

function lines(s: string): string[] {
  const l = s.split(/\r?\n/);
  if (l.length > 1 && l[l.length - 1] === '') l.pop();
  return l;
}

/** `--- label` / `+++ label` and hunks with 3 lines of context; '' when the texts are equal. */
export function unifiedDiff(
  before: string,
  after: string,
  fromLabel: string,
  toLabel: string,
): string {
  if (before === after) return '';
  const a = lines(before);
  const b = lines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const ops: Op[] = [
    ...a.slice(0, head).map((line) => ({ op: ' ' as const, line })),
    ...lcsOps(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map((line) => ({ op: ' ' as const, line })),
  ];
  const out = [`--- ${fromLabel}`, `+++ ${toLabel}`];
  // Group changes into hunks with CONTEXT lines around them.
  let k = 0;
  let aLine = 1;
  let bLine = 1;
  const pos: { a: number; b: number }[] = ops.map((o) => {
    const p = { a: aLine, b: bLine };
    if (o.op !== '+') aLine++;
    if (o.op !== '-') bLine++;
    return p;
  });
  while (k < ops.length) {
    while (k < ops.length && ops[k]!.op === ' ') k++;
    if (k >= ops.length) break;
    const start = Math.max(0, k - CONTEXT);
    let end = k;
    let quiet = 0;
    while (end < ops.length && quiet <= CONTEXT * 2) {
      quiet = ops[end]!.op === ' ' ? quiet + 1 : 0;
      end++;
    }
    end = Math.min(ops.length, end - Math.max(0, quiet - CONTEXT));
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((o) => o.op !== '+').length;
    const bCount = hunk.filter((o) => o.op !== '-').length;
    out.push(`@@ -${pos[start]!.a},${aCount} +${pos[start]!.b},${bCount} @@`);
    for (const o of hunk) out.push(`${o.op}${o.line}`);
    k = end;
  }
  return `${out.join('\n')}\n`;
}
