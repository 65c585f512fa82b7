import {
  BinaryOperationNode,
  type KyselyPlugin,
  OperationNodeTransformer,
  OperatorNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  ValueListNode,
  ValueNode,
} from 'kysely'

/** `x IN ()` → `1 = 0`, `x NOT IN ()` → `1 = 1`; anything else as it was. */
class EmptyInListTransformer extends OperationNodeTransformer {
  protected override transformBinaryOperation(node: BinaryOperationNode): BinaryOperationNode {
    const operator = OperatorNode.is(node.operator) ? node.operator.operator : undefined
    const right = node.rightOperand
    const empty = (PrimitiveValueListNode.is(right) || ValueListNode.is(right)) && right.values.length === 0
    if (empty && (operator === 'in' || operator === 'not in')) {
      return BinaryOperationNode.create(ValueNode.createImmediate(1), OperatorNode.create('='), ValueNode.createImmediate(operator === 'in' ? 0 : 1))
    }
    return super.transformBinaryOperation(node)
  }
}

const isEmptyInList = (node: { kind?: unknown; operator?: unknown; rightOperand?: unknown }) => {
  if (node.kind !== 'BinaryOperationNode') return false
  const operator = (node.operator as { operator?: string } | undefined)?.operator
  const right = node.rightOperand as { kind?: string; values?: readonly unknown[] } | undefined
  return (operator === 'in' || operator === 'not in') && (right?.kind === 'PrimitiveValueListNode' || right?.kind === 'ValueListNode') && right.values!.length === 0
}

/** Whether a query holds an empty IN list anywhere: a walk that copies nothing, so other queries pay little. */
function holdsEmptyInList(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false
  if (Array.isArray(node)) return node.some(holdsEmptyInList)
  if (isEmptyInList(node as object)) return true
  for (const value of Object.values(node)) if (value && typeof value === 'object' && holdsEmptyInList(value)) return true
  return false
}

/**
 * `where(column, 'in', [])` means "none" (and `not in []` "all"). SQLite accepts `IN ()`, PostgreSQL
 * refuses it as a syntax error, so a list that happens to be empty (no groups, no tickets on a page)
 * was a 500 on PostgreSQL only. Installed on every Kysely instance (db/create-db.ts), this makes both
 * databases answer the same, whatever the call site remembers to check.
 */
export class EmptyInListPlugin implements KyselyPlugin {
  private readonly transformer = new EmptyInListTransformer()
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return holdsEmptyInList(args.node) ? this.transformer.transformNode(args.node) : args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}
