import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';
import type { NodePath } from '@stryker-mutator/api/ignore';

/** The little of Babel's AST this needs. */
interface Node {
  type: string;
  name?: string;
  callee?: Node;
  object?: Node;
  property?: Node;
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

function named(node: Node | undefined, pattern: RegExp): boolean {
  if (node?.type === 'Identifier') return pattern.test(node.name ?? '');
  if (node?.type === 'MemberExpression') return named(node.property, pattern);
  return false;
}

/**
 * Leaves log statements unmutated (`this.logger.info(…)`, `logger.debug(…)`, a local `log(…)`):
 * what a log line says is not a guard, and its mutants would bury the ones that are.
 * Their mutants are reported as "Ignored" and count neither way in the score.
 */
export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'logging', {
    shouldIgnore(path: NodePath): string | undefined {
      const node = (path as { node?: Node }).node;
      if (node?.type !== 'CallExpression') return undefined;
      const callee = node.callee;
      const isLog =
        (callee?.type === 'MemberExpression' && named(callee.property, /./) && LEVELS.has(callee.property?.name ?? '') && named(callee.object, /^log(ger)?$/)) ||
        (callee?.type === 'Identifier' && callee.name === 'log');
      return isLog ? 'A log statement (test/mutate/ignore-logging.ts).' : undefined;
    },
  }),
];
