// Tool names across servers: the same name offered by two servers (the host may call the wrong
// one), and names that only look alike (Cyrillic "а" for Latin "a", "1" for "l") — confusables
// built to be picked instead of the real tool.

import { excerpt } from './mask.js';
import type { Detector, ServerMeta } from './detector.js';
import { isObject } from './detector.js';
import { visible } from '../text/visible.js';
import { OWASP_MCP, type Finding, type RuleInfo } from './types.js';

export const NAME_RULES: RuleInfo[] = [
  {
    id: 'shadow.duplicate-name',
    title: 'Same tool name on several servers',
    category: 'shadowing',
    severity: 'low',
    description:
      'Two connected servers offer a tool with the same name. Hosts resolve the clash differently (first wins, last wins, prefixing), so one server can take calls meant for the other. Legitimate servers often share generic names (search, fetch, list_projects), so a plain clash is low; it is high when the duplicate claims to be the official or replacing version. Rename or disable one of them, or connect them in separate sessions.',
    references: [OWASP_MCP.MCP09, OWASP_MCP.MCP03],
  },
  {
    id: 'shadow.confusable-name',
    title: 'Look-alike (confusable) tool name',
    category: 'shadowing',
    severity: 'high',
    description:
      'A tool name that differs from another only by look-alike characters (homoglyphs from other scripts, 0/o, 1/l, separators) or mixes scripts is built to be chosen by mistake. Check which server owns the genuine tool and remove the imitation.',
    references: [OWASP_MCP.MCP09, 'https://www.unicode.org/reports/tr39/#Confusable_Detection'],
  },
];

// A small skeleton table (UTS #39 style) for the letters impersonation uses most.
export const HOMOGLYPHS: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ո: 'n',
  ս: 'u',
  α: 'a',
  ο: 'o',
  ν: 'v',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  ι: 'i',
  κ: 'k',
  χ: 'x',
  ε: 'e',
  ӏ: 'l',
  ℓ: 'l',
  '0': 'o',
  '1': 'l',
  '|': 'l',
  '5': 's',
};

/** Name with every non-ASCII character as a \\u escape, so look-alikes are visible in reports. */
export function reveal(name: string): string {
  return Array.from(visible(name), (ch) =>
    ch.charCodeAt(0) < 0x80 ? ch : `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  ).join('');
}

export function skeleton(name: string): string {
  let s = name.normalize('NFKC').toLowerCase();
  s = Array.from(s, (ch) => HOMOGLYPHS[ch] ?? ch).join('');
  return s
    .replace(/[\s_\-.]+/g, '')
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/i/g, 'l');
}

function scripts(name: string): Set<string> {
  const out = new Set<string>();
  for (const ch of name) {
    if (/\p{Script=Latin}/u.test(ch)) out.add('Latin');
    else if (/\p{Script=Cyrillic}/u.test(ch)) out.add('Cyrillic');
    else if (/\p{Script=Greek}/u.test(ch)) out.add('Greek');
    else if (/\p{Script=Armenian}/u.test(ch)) out.add('Armenian');
    else if (/\p{L}/u.test(ch)) out.add('other');
  }
  return out;
}

const IMPERSONATES =
  /\b(?:official|replaces?|supersedes?|deprecated|instead of|use this (?:one|tool|version))\b/i;

interface Named {
  server: string;
  name: string;
  index: number;
}

export const namesDetector: Detector = {
  id: 'names',
  rules: NAME_RULES,
  servers(servers: ServerMeta[]) {
    const all: Named[] = [];
    for (const s of servers)
      s.tools.forEach(
        (t, index) =>
          isObject(t) &&
          typeof t.name === 'string' &&
          all.push({ server: s.name, name: t.name, index }),
      );
    const out: Finding[] = [];
    const byName = new Map<string, Named[]>();
    for (const n of all) byName.set(n.name, [...(byName.get(n.name) ?? []), n]);
    for (const [name, list] of byName) {
      const owners = [...new Set(list.map((n) => n.server))];
      if (owners.length < 2) continue;
      for (const n of list.slice(1)) {
        // Real servers share generic names (search, fetch, list_projects): notable, not an attack.
        // The duplicate is an attack when its definition claims the other one's role.
        const def = servers.find((x) => x.name === n.server)?.tools[n.index];
        const claims =
          isObject(def) &&
          typeof def.description === 'string' &&
          IMPERSONATES.test(def.description);
        out.push({
          rule: 'shadow.duplicate-name',
          severity: claims ? 'high' : 'low',
          title: NAME_RULES[0]!.title,
          message: `Tool "${excerpt(name, 60)}" is offered by ${owners.length} servers (${owners.map((o) => excerpt(o, 40)).join(', ')}); calls may reach the wrong one${claims ? ', and this definition claims to replace or be the official one' : ''}.`,
          target: { server: n.server, kind: 'tool', name, pointer: '/name' },
          evidence: visible(name),
        });
      }
    }
    const bySkeleton = new Map<string, Named[]>();
    for (const n of all)
      bySkeleton.set(skeleton(n.name), [...(bySkeleton.get(skeleton(n.name)) ?? []), n]);
    const reported = new Set<string>();
    for (const list of bySkeleton.values()) {
      const distinct = [...new Set(list.map((n) => n.name))];
      if (distinct.length < 2) continue;
      // The imitation is the one with non-ASCII letters, or (all ASCII) every name after the first.
      const ascii = list.filter((n) => /^[\x20-\x7e]*$/.test(n.name));
      const suspects = list.filter((n) => !/^[\x20-\x7e]*$/.test(n.name));
      const pool = suspects.length > 0 ? suspects : list.filter((n) => n.name !== list[0]!.name);
      // Plain separator variants within one server (get-file / get_file) are style, not attack.
      if (suspects.length === 0 && new Set(list.map((n) => n.server)).size < 2) continue;
      for (const n of pool) {
        const like = (ascii.find((a) => a.name !== n.name) ?? list.find((a) => a.name !== n.name))!;
        const key = `${n.server}\u0000${n.name}`;
        if (reported.has(key)) continue;
        reported.add(key);
        out.push({
          rule: 'shadow.confusable-name',
          severity: suspects.length > 0 ? 'high' : 'medium',
          title: NAME_RULES[1]!.title,
          message: `Tool "${reveal(n.name)}" (server ${excerpt(n.server, 40)}) looks like "${reveal(like.name)}" (server ${excerpt(like.server, 40)}).`,
          target: { server: n.server, kind: 'tool', name: n.name, pointer: '/name' },
          evidence: reveal(n.name),
        });
      }
    }
    // A single name mixing scripts imitates something even with nothing to compare against.
    for (const n of all) {
      const sc = scripts(n.name);
      if (sc.size > 1 && sc.has('Latin') && !reported.has(`${n.server}\u0000${n.name}`)) {
        out.push({
          rule: 'shadow.confusable-name',
          severity: 'high',
          title: NAME_RULES[1]!.title,
          message: `Tool name "${reveal(n.name)}" mixes ${[...sc].join(' and ')} letters, a common way to imitate another name.`,
          target: { server: n.server, kind: 'tool', name: n.name, pointer: '/name' },
          evidence: reveal(n.name),
        });
      }
    }
    return out;
  },
};
