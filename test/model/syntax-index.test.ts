// The shared syntax index must walk exactly as a fresh depth-first traversal would: same nodes,
// same order, children skipped when asked, the depth bound counted from the walk's root.
import { describe, expect, it } from 'vitest'
import { ts } from 'ts-morph'
import { MAX_WALK_DEPTH, walkNodes } from '../../src/rules/support/integration-source-files.js'
import {
  forEachNodeLastChildFirst,
  indexOfNode,
  nodesOfKind,
  nodesOfKinds,
  kindListsCoverWalk,
  syntaxIndexOf
} from '../../src/model/syntax-index.js'

const CODE = `import { request } from './client'
export const action = {
  fields: { email: { label: 'Email', type: 'string' } },
  perform: async (request, { payload }) => {
    for (const item of payload.items) await request(\`https://api.example/\${item.id}\`, { method: 'post', json: item })
    return [1, 2, 3].map((n) => n * 2)
  }
}
class Broken { method() { if (x) { throw new Error('no') } } }
`

function parse(text: string): ts.SourceFile {
  return ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
}

/** The reference walk: recursive, as the walk was before the index. */
function referenceWalk(root: ts.Node, visit: (node: ts.Node) => boolean | void, depth = 0): void {
  if (visit(root) === false || depth >= MAX_WALK_DEPTH) return
  ts.forEachChild(root, (child) => {
    referenceWalk(child, visit, depth + 1)
  })
}

function visited(walk: typeof walkNodes, root: ts.Node, skip?: (node: ts.Node) => boolean): ts.Node[] {
  const seen: ts.Node[] = []
  walk(root, (node) => {
    seen.push(node)
    return skip?.(node) ? false : undefined
  })
  return seen
}

describe('syntax index', () => {
  it('visits every node of a file in depth-first order, as a fresh walk does', () => {
    const sourceFile = parse(CODE)
    const expected = visited(referenceWalk, sourceFile)
    expect(visited(walkNodes, sourceFile)).toEqual(expected)
    expect(syntaxIndexOf(sourceFile).nodes).toEqual(expected)
  })

  it('skips the children of a node whose visitor returns false', () => {
    const sourceFile = parse(CODE)
    const skip = (node: ts.Node) => ts.isArrowFunction(node) || ts.isClassDeclaration(node)
    const walked = visited(walkNodes, sourceFile, skip)
    expect(walked).toEqual(visited(referenceWalk, sourceFile, skip))
    expect(walked.some((node) => ts.isForOfStatement(node))).toBe(false)
  })

  it('walks a subtree from any node of the file, and only that subtree', () => {
    const sourceFile = parse(CODE)
    for (const root of syntaxIndexOf(sourceFile).nodes) {
      expect(visited(walkNodes, root)).toEqual(visited(referenceWalk, root))
    }
  })

  it('finds every node by identity, including nodes that start at the same position', () => {
    const sourceFile = parse(CODE)
    const index = syntaxIndexOf(sourceFile)
    index.nodes.forEach((node, position) => expect(indexOfNode(index, node)).toBe(position))
    expect(indexOfNode(index, parse(CODE).statements[0])).toBe(-1)
  })

  it('stops descending at the depth bound, counted from the root of the walk', () => {
    const depth = MAX_WALK_DEPTH + 200
    // A member chain parses without recursion, so it can nest past the bound.
    const sourceFile = parse(`const deep = root${'.next'.repeat(depth)}\n`)
    const fromFile = visited(walkNodes, sourceFile)
    expect(fromFile).toEqual(visited(referenceWalk, sourceFile))
    expect(fromFile.some((node) => ts.isIdentifier(node) && node.text === 'root')).toBe(false)
    const inner = syntaxIndexOf(sourceFile).nodes.filter((node) => ts.isPropertyAccessExpression(node))[300]
    const fromInner = visited(walkNodes, inner)
    expect(fromInner).toEqual(visited(referenceWalk, inner))
    expect(fromInner.some((node) => ts.isIdentifier(node) && node.text === 'root')).toBe(true)
  })

  it('walks a node that belongs to no parsed file the same way', () => {
    const call = ts.factory.createCallExpression(ts.factory.createIdentifier('f'), undefined, [ts.factory.createStringLiteral('x')])
    expect(visited(walkNodes, call).map((node) => node.kind)).toEqual([
      ts.SyntaxKind.CallExpression,
      ts.SyntaxKind.Identifier,
      ts.SyntaxKind.StringLiteral
    ])
  })

  it('lists the nodes of one kind in walk order', () => {
    const sourceFile = parse(CODE)
    const calls = nodesOfKind<ts.CallExpression>(sourceFile, ts.SyntaxKind.CallExpression)
    expect(calls).toEqual(visited(referenceWalk, sourceFile).filter((node) => ts.isCallExpression(node)))
    expect(calls.length).toBe(2)
    expect(nodesOfKind(sourceFile, ts.SyntaxKind.WhileStatement)).toEqual([])
  })

  it('lists the nodes of several kinds merged in walk order, as one walk meets them', () => {
    const sourceFile = parse(CODE)
    const kinds = [
      ts.SyntaxKind.NewExpression,
      ts.SyntaxKind.CallExpression,
      ts.SyntaxKind.Parameter,
      ts.SyntaxKind.ThrowStatement,
      ts.SyntaxKind.WhileStatement
    ]
    const expected = visited(referenceWalk, sourceFile).filter((node) => kinds.includes(node.kind))
    expect(nodesOfKinds(sourceFile, kinds)).toEqual(expected)
    expect(expected.map((node) => node.kind)).toEqual([
      ts.SyntaxKind.Parameter,
      ts.SyntaxKind.Parameter,
      ts.SyntaxKind.CallExpression,
      ts.SyntaxKind.CallExpression,
      ts.SyntaxKind.Parameter,
      ts.SyntaxKind.ThrowStatement,
      ts.SyntaxKind.NewExpression
    ])
    expect(nodesOfKinds(sourceFile, [ts.SyntaxKind.WhileStatement])).toEqual([])
  })

  it('leaves out nodes below the depth bound, as the walk does', () => {
    const sourceFile = parse(`const deep = root${'.next'.repeat(MAX_WALK_DEPTH + 200)}\n`)
    const kinds = [ts.SyntaxKind.Identifier, ts.SyntaxKind.PropertyAccessExpression]
    const expected = visited(referenceWalk, sourceFile).filter((node) => kinds.includes(node.kind))
    expect(nodesOfKinds(sourceFile, kinds)).toEqual(expected)
    expect(nodesOfKind(sourceFile, ts.SyntaxKind.Identifier)).toEqual(expected.filter((node) => ts.isIdentifier(node)))
  })

  it('visits last child first, as a stack walk pushing children in order does, up to its limit and below the depth bound too', () => {
    /** The reference: the stack walk itself, over the tree. */
    const stackWalk = (sourceFile: ts.SourceFile, limit: number): ts.Node[] => {
      const seen: ts.Node[] = []
      const stack: ts.Node[] = [sourceFile]
      while (stack.length > 0 && seen.length < limit) {
        const node = stack.pop()!
        seen.push(node)
        ts.forEachChild(node, (child) => {
          stack.push(child)
        })
      }
      return seen
    }
    const ours = (sourceFile: ts.SourceFile, limit: number): ts.Node[] => {
      const seen: ts.Node[] = []
      forEachNodeLastChildFirst(sourceFile, limit, (node) => seen.push(node))
      return seen
    }
    for (const text of [CODE, `const deep = root${'.next'.repeat(MAX_WALK_DEPTH + 200)}\n`, '']) {
      const sourceFile = parse(text)
      expect(ours(sourceFile, Number.POSITIVE_INFINITY)).toEqual(stackWalk(sourceFile, Number.POSITIVE_INFINITY))
      expect(ours(sourceFile, 7)).toEqual(stackWalk(sourceFile, 7))
    }
    expect(ours(parse(CODE), 3).map((node) => node.kind)).toEqual([
      ts.SyntaxKind.SourceFile,
      ts.SyntaxKind.EndOfFileToken,
      ts.SyntaxKind.ClassDeclaration
    ])
  })

  it('says when the by-kind lists hold every node a bounded walk visits', () => {
    expect(kindListsCoverWalk(parse(CODE), Number.POSITIVE_INFINITY)).toBe(true)
    expect(kindListsCoverWalk(parse(CODE), syntaxIndexOf(parse(CODE)).nodes.length)).toBe(true)
    expect(kindListsCoverWalk(parse(CODE), 5)).toBe(false)
    expect(kindListsCoverWalk(parse(`const deep = root${'.next'.repeat(MAX_WALK_DEPTH + 200)}\n`), Number.POSITIVE_INFINITY)).toBe(false)
  })
})
