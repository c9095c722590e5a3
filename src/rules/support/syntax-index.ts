// One traversal per file: the file's nodes in depth-first order, built once per syntax tree and
// shared by every rule and helper that walks it (the trees themselves are shared between base,
// head and the model by the parse cache, so the index is too). A walk is then a loop over an
// array instead of a fresh traversal with its own stack per rule, and a rule that wants only some
// node kinds can ask for them directly (`nodesOfKind`), as ESLint rules subscribe to node types.
import { ts } from '../../model/typescript.js'
import { timed } from '../../phase-timing.js'

export interface SyntaxIndex {
  /** Every node of the tree in the order a depth-first walk visits them (`ts.forEachChild` order). */
  readonly nodes: readonly ts.Node[]
  /** Depth of each node below the source file (the file is 0). */
  readonly depths: Int32Array
  /** For each node, the index just past its last descendant: skipping a subtree is a jump. */
  readonly ends: Int32Array
}

interface CachedIndex extends SyntaxIndex {
  /** Positions in `nodes` of the nodes of each kind, in walk order. */
  byKind?: Map<ts.SyntaxKind, number[]>
}

/**
 * Hostile input can nest thousands of levels; deeper nodes are not visited (walkNodes) and not
 * listed by kind either, so a rule that asks for kinds sees what a walk would have visited.
 */
export const MAX_WALK_DEPTH = 1500

const indexes = new WeakMap<ts.SourceFile, CachedIndex>()

/** The index of a syntax tree, built on first use; it lives as long as the tree (one review). */
export function syntaxIndexOf(sourceFile: ts.SourceFile): SyntaxIndex {
  let index = indexes.get(sourceFile)
  if (!index) indexes.set(sourceFile, (index = timed('syntax index', () => buildIndex(sourceFile))))
  return index
}

function buildIndex(sourceFile: ts.SourceFile): CachedIndex {
  const nodes: ts.Node[] = []
  const depthList: number[] = []
  const endList: number[] = []
  // Iterative: hostile input nests deeper than the call stack allows.
  const pendingNodes: ts.Node[] = [sourceFile]
  const pendingDepths: number[] = [0]
  /** Indexes of the nodes whose subtrees are still open, innermost last. */
  const open: number[] = []
  const children: ts.Node[] = []
  const collect = (child: ts.Node) => {
    children.push(child)
  }
  while (pendingNodes.length > 0) {
    const node = pendingNodes.pop()!
    const depth = pendingDepths.pop()!
    while (open.length > 0 && depthList[open[open.length - 1]] >= depth) endList[open.pop()!] = nodes.length
    open.push(nodes.length)
    nodes.push(node)
    depthList.push(depth)
    endList.push(0)
    children.length = 0
    ts.forEachChild(node, collect)
    for (let child = children.length - 1; child >= 0; child--) {
      pendingNodes.push(children[child])
      pendingDepths.push(depth + 1)
    }
  }
  while (open.length > 0) endList[open.pop()!] = nodes.length
  return { nodes, depths: Int32Array.from(depthList), ends: Int32Array.from(endList) }
}

/**
 * Where `node` sits in its file's index, or -1. Nodes appear in source order, so a binary search
 * on the start position finds the candidates; identity decides among nodes that start together.
 */
export function indexOfNode(index: SyntaxIndex, node: ts.Node): number {
  const { nodes } = index
  let low = 0
  let high = nodes.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (nodes[middle].pos < node.pos) low = middle + 1
    else high = middle
  }
  for (let candidate = low; candidate < nodes.length && nodes[candidate].pos === node.pos; candidate++) {
    if (nodes[candidate] === node) return candidate
  }
  return -1
}

/** Positions of the nodes of each kind (grouped once per file, on first use, in walk order). */
function positionsByKind(sourceFile: ts.SourceFile): Map<ts.SyntaxKind, number[]> {
  syntaxIndexOf(sourceFile)
  const index = indexes.get(sourceFile)!
  if (!index.byKind) {
    const byKind = new Map<ts.SyntaxKind, number[]>()
    const { nodes, depths } = index
    for (let position = 0; position < nodes.length; position++) {
      if (depths[position] > MAX_WALK_DEPTH) continue
      const kind = nodes[position].kind
      const list = byKind.get(kind)
      if (list) list.push(position)
      else byKind.set(kind, [position])
    }
    index.byKind = byKind
  }
  return index.byKind
}

/** Every node of one kind in the file, in walk order: the nodes a rule subscribes to, as ESLint rules subscribe to node types. */
export function nodesOfKind<K extends ts.Node = ts.Node>(sourceFile: ts.SourceFile, kind: ts.SyntaxKind): readonly K[] {
  const positions = positionsByKind(sourceFile).get(kind)
  if (!positions) return []
  const { nodes } = syntaxIndexOf(sourceFile)
  return positions.map((position) => nodes[position] as K)
}

/**
 * Every node of any of `kinds`, in walk order (the order one walk of the file would visit them),
 * so a rule that subscribes to several kinds reports in the same order as a walk did. The lists
 * of each kind are already in walk order: merging them costs the nodes found, not the file.
 */
export function nodesOfKinds<K extends ts.Node = ts.Node>(sourceFile: ts.SourceFile, kinds: readonly ts.SyntaxKind[]): readonly K[] {
  const byKind = positionsByKind(sourceFile)
  const lists: number[][] = []
  for (const kind of new Set(kinds)) {
    const list = byKind.get(kind)
    if (list) lists.push(list)
  }
  const { nodes } = syntaxIndexOf(sourceFile)
  if (lists.length === 0) return []
  if (lists.length === 1) return lists[0].map((position) => nodes[position] as K)
  const heads = new Array<number>(lists.length).fill(0)
  const merged: K[] = []
  for (;;) {
    let next = -1
    for (let list = 0; list < lists.length; list++) {
      if (heads[list] < lists[list].length && (next === -1 || lists[list][heads[list]] < lists[next][heads[next]])) next = list
    }
    if (next === -1) return merged
    merged.push(nodes[lists[next][heads[next]++]] as K)
  }
}

/** The source file a node belongs to (parents are set by the parser), or undefined for a detached node. */
export function sourceFileOfNode(node: ts.Node): ts.SourceFile | undefined {
  let current: ts.Node | undefined = node
  while (current && current.kind !== ts.SyntaxKind.SourceFile) current = current.parent
  return current as ts.SourceFile | undefined
}
