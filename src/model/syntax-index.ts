// One traversal per file: the file's nodes in depth-first order, built once per syntax tree and
// shared by every rule and helper that walks it (the trees themselves are shared between base,
// head and the model by the parse cache, so the index is too). A walk is then a loop over an
// array instead of a fresh traversal with its own stack per rule, and a rule that wants only some
// node kinds can ask for them directly (`nodesOfKind`), as ESLint rules subscribe to node types.
import { ts } from './typescript.js'
import { timed } from '../phase-timing.js'
import { DerivedFact } from './derived-facts.js'

export interface SyntaxIndex {
  /** Every node of the tree in the order a depth-first walk visits them (`ts.forEachChild` order). */
  readonly nodes: readonly ts.Node[]
  /** Depth of each node below the source file (the file is 0). */
  readonly depths: Int32Array
  /** For each node, the index just past its last descendant: skipping a subtree is a jump. */
  readonly ends: Int32Array
}

interface CachedIndex extends SyntaxIndex {
  /**
   * Positions in `nodes` grouped by kind, each group in walk order: the group of kind k is
   * `byKind[kindStarts[k]]` up to `byKind[kindStarts[k + 1]]` (a counting sort, done in the build
   * with two typed arrays, so asking for kinds costs no pass over the file and little garbage).
   */
  readonly byKind: Int32Array
  readonly kindStarts: Int32Array
  /** The nodes of one kind, listed on first request and then shared by every rule that asks. */
  readonly nodesByKind: Map<ts.SyntaxKind, readonly ts.Node[]>
  /** The nodes of several kinds in walk order, by the kinds asked for (`nodesOfKinds`), likewise shared. */
  readonly nodesByKinds: Map<string, readonly ts.Node[]>
}

/**
 * Hostile input can nest thousands of levels; deeper nodes are not visited (walkNodes) and not
 * listed by kind either, so a rule that asks for kinds sees what a walk would have visited.
 */
export const MAX_WALK_DEPTH = 1500

const indexes = new DerivedFact<ts.SourceFile, CachedIndex>('syntax index')

/**
 * Visits at most `limit` nodes of a tree, the file first, in the order of a depth-first walk with
 * a stack that pushes each node's children in order (so visits them last to first), from the
 * index by position: no traversal of the tree itself.
 */
export function forEachNodeLastChildFirst(sourceFile: ts.SourceFile, limit: number, visit: (node: ts.Node) => void): void {
  const { nodes, ends } = syntaxIndexOf(sourceFile)
  const pending: number[] = [0]
  for (let visited = 0; pending.length > 0 && visited < limit; visited++) {
    const at = pending.pop()!
    visit(nodes[at])
    for (let child = at + 1; child < ends[at]; child = ends[child]) pending.push(child)
  }
}

/**
 * True when a walk that stops after `limit` nodes visits exactly the nodes the by-kind lists hold
 * (`nodesOfKind`): the file has at most `limit` nodes and none past the depth bound (those are
 * walked but not listed). A caller that needs only some kinds can then read their lists instead.
 */
export function kindListsCoverWalk(sourceFile: ts.SourceFile, limit: number): boolean {
  const { nodes, byKind } = cachedIndexOf(sourceFile)
  return nodes.length <= limit && byKind.length === nodes.length
}

/** The index of a syntax tree, built on first use; it lives as long as the tree (one review). */
export function syntaxIndexOf(sourceFile: ts.SourceFile): SyntaxIndex {
  return indexes.of(sourceFile, () => timed('syntax index', () => buildIndex(sourceFile, false)))
}

/**
 * Indexes a tree parsed without parents (see parseTree) and sets every node's `parent` in the
 * same walk, as TypeScript's `setParentNodes` would: one walk per file after parsing. The tree
 * has no JSDoc nodes (parseTree does not parse JSDoc), so there are none to bind beside the children.
 */
export function indexSettingParents(sourceFile: ts.SourceFile): void {
  indexes.set(
    sourceFile,
    timed('syntax index', () => buildIndex(sourceFile, true))
  )
}

type Parented = { parent: ts.Node }

function buildIndex(sourceFile: ts.SourceFile, setParents: boolean): CachedIndex {
  const nodes: ts.Node[] = []
  // Depth, subtree end and kind of each node, in typed arrays grown as needed (a node per few
  // characters of text is the usual density): no per-node garbage, no copy at the end.
  let capacity = Math.max(64, sourceFile.text.length >> 2)
  let depths = new Int32Array(capacity)
  let ends = new Int32Array(capacity)
  /** The kind of each node, or -1 for nodes past the depth bound (a walk does not visit them, so they are not listed by kind). */
  let kinds = new Int32Array(capacity)
  // Iterative: hostile input nests deeper than the call stack allows.
  const pendingNodes: ts.Node[] = [sourceFile]
  const pendingDepths: number[] = [0]
  /** Indexes of the nodes whose subtrees are still open, innermost last. */
  const open: number[] = []
  /** The node whose children are being collected (their parent, when parents are set). */
  let current: ts.Node = sourceFile
  const collect = setParents
    ? (child: ts.Node) => {
        ;(child as Parented).parent = current
        pendingNodes.push(child)
      }
    : (child: ts.Node) => {
        pendingNodes.push(child)
      }
  // Lists of children (statements, arguments, members…) come as one call rather than one per child.
  const collectList = setParents
    ? (children: ts.NodeArray<ts.Node>) => {
        for (let at = 0; at < children.length; at++) {
          ;(children[at] as Parented).parent = current
          pendingNodes.push(children[at])
        }
      }
    : (children: ts.NodeArray<ts.Node>) => {
        for (const child of children) pendingNodes.push(child)
      }
  while (pendingNodes.length > 0) {
    const node = pendingNodes.pop()!
    const depth = pendingDepths.pop()!
    while (open.length > 0 && depths[open[open.length - 1]] >= depth) ends[open.pop()!] = nodes.length
    const position = nodes.length
    if (position === capacity) {
      capacity *= 2
      depths = grown(depths, capacity)
      ends = grown(ends, capacity)
      kinds = grown(kinds, capacity)
    }
    open.push(position)
    nodes.push(node)
    depths[position] = depth
    kinds[position] = depth <= MAX_WALK_DEPTH ? node.kind : -1
    // The children go on the stack as they come, then are reversed in place so the first is visited first.
    const firstChild = pendingNodes.length
    current = node
    ts.forEachChild(node, collect, collectList)
    for (let low = firstChild, high = pendingNodes.length - 1; low < high; low++, high--) {
      const child = pendingNodes[low]
      pendingNodes[low] = pendingNodes[high]
      pendingNodes[high] = child
    }
    while (pendingDepths.length < pendingNodes.length) pendingDepths.push(depth + 1)
  }
  while (open.length > 0) ends[open.pop()!] = nodes.length
  const count = nodes.length
  const kindCount: number = ts.SyntaxKind.Count
  const kindStarts = new Int32Array(kindCount + 1)
  for (let position = 0; position < count; position++) if (kinds[position] >= 0) kindStarts[kinds[position] + 1]++
  for (let kind = 0; kind < kindCount; kind++) kindStarts[kind + 1] += kindStarts[kind]
  const filled = kindStarts.slice(0, kindCount)
  const byKind = new Int32Array(kindStarts[kindCount])
  for (let position = 0; position < count; position++) {
    const kind = kinds[position]
    if (kind >= 0) byKind[filled[kind]++] = position
  }
  return {
    nodes,
    depths: depths.slice(0, count),
    ends: ends.slice(0, count),
    byKind,
    kindStarts,
    nodesByKind: new Map(),
    nodesByKinds: new Map()
  }
}

/** A copy of `values` with room for `capacity` entries. */
function grown(values: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(capacity)
  larger.set(values)
  return larger
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

function cachedIndexOf(sourceFile: ts.SourceFile): CachedIndex {
  syntaxIndexOf(sourceFile)
  return indexes.get(sourceFile)!
}

/**
 * Every node of one kind in the file, in walk order: the nodes a rule subscribes to, as ESLint
 * rules subscribe to node types. The list is shared (callers must not modify it).
 */
export function nodesOfKind<K extends ts.Node = ts.Node>(sourceFile: ts.SourceFile, kind: ts.SyntaxKind): readonly K[] {
  const index = cachedIndexOf(sourceFile)
  let list = index.nodesByKind.get(kind)
  if (!list) {
    const { nodes, byKind, kindStarts } = index
    const start = kindStarts[kind]
    const found = new Array<ts.Node>(kindStarts[kind + 1] - start)
    for (let at = 0; at < found.length; at++) found[at] = nodes[byKind[start + at]]
    list = found
    index.nodesByKind.set(kind, list)
  }
  return list as readonly K[]
}

/**
 * Every node of any of `kinds`, in walk order (the order one walk of the file would visit them),
 * so a rule that subscribes to several kinds reports in the same order as a walk did. Several
 * rules ask for the same kinds: the merged list is kept with the index and shared (callers must
 * not modify it). Listing costs the nodes found, not the file.
 */
export function nodesOfKinds<K extends ts.Node = ts.Node>(sourceFile: ts.SourceFile, kinds: readonly ts.SyntaxKind[]): readonly K[] {
  if (kinds.length === 1) return nodesOfKind<K>(sourceFile, kinds[0])
  const index = cachedIndexOf(sourceFile)
  const key = keyOfKinds(kinds)
  let merged = index.nodesByKinds.get(key)
  if (!merged) {
    const { nodes, byKind, kindStarts } = index
    const positions = positionsOfKinds(byKind, kindStarts, kinds)
    const found = new Array<ts.Node>(positions.length)
    for (let at = 0; at < positions.length; at++) found[at] = nodes[positions[at]]
    merged = found
    index.nodesByKinds.set(key, merged)
  }
  return merged as readonly K[]
}

/**
 * The cache key of a list of kinds. Rules pass module-level constant lists, asked about for every
 * file: the key is made once per list (a list's kinds are never changed after it is made).
 */
const kindKeys = new WeakMap<readonly ts.SyntaxKind[], string>()
function keyOfKinds(kinds: readonly ts.SyntaxKind[]): string {
  let key = kindKeys.get(kinds)
  if (key === undefined) kindKeys.set(kinds, (key = kinds.join(',')))
  return key
}

/**
 * The positions of the nodes of `kinds`, ascending (walk order). One kind is a slice of the index
 * (shared: callers must not modify it); several are copied side by side and sorted once, natively
 * (a node has one kind, so no position repeats), instead of merged list by list.
 */
function positionsOfKinds(byKind: Int32Array, kindStarts: Int32Array, kinds: readonly ts.SyntaxKind[]): Int32Array {
  const distinct = kinds.filter((kind, at) => kinds.indexOf(kind) === at)
  if (distinct.length === 1) return byKind.subarray(kindStarts[distinct[0]], kindStarts[distinct[0] + 1])
  let total = 0
  for (const kind of distinct) total += kindStarts[kind + 1] - kindStarts[kind]
  const positions = new Int32Array(total)
  let at = 0
  for (const kind of distinct) {
    positions.set(byKind.subarray(kindStarts[kind], kindStarts[kind + 1]), at)
    at += kindStarts[kind + 1] - kindStarts[kind]
  }
  return positions.sort()
}

/** The source file a node belongs to (parents are set by the parser), or undefined for a detached node. */
export function sourceFileOfNode(node: ts.Node): ts.SourceFile | undefined {
  let current: ts.Node | undefined = node
  while (current && current.kind !== ts.SyntaxKind.SourceFile) current = current.parent
  return current as ts.SourceFile | undefined
}
