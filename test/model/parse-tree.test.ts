// Our parent pass must give exactly the parents TypeScript's setParentNodes gives: every rule and
// the model walk up through `parent`.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ts } from '../../src/model/typescript.js'
import { PARSE_OPTIONS, parseTree } from '../../src/model/parse-tree.js'
import { nodesOfKind, syntaxIndexOf } from '../../src/model/syntax-index.js'

/** Every node below the root with its parent, JSDoc included where a tree has it, in one fixed order. */
function parentsOf(sourceFile: ts.SourceFile, docs = true): Array<[number, number, number, number, number]> {
  const seen: Array<[number, number, number, number, number]> = []
  const visit = (node: ts.Node) => {
    seen.push([node.kind, node.pos, node.end, node.parent.kind, node.parent.pos])
    if (docs) for (const doc of (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? []) visitTree(doc)
    ts.forEachChild(node, visit)
  }
  const visitTree = (node: ts.Node) => {
    seen.push([node.kind, node.pos, node.end, node.parent.kind, node.parent.pos])
    ts.forEachChild(node, visitTree)
  }
  ts.forEachChild(sourceFile, visit)
  return seen
}

/** Every node is the same object its parent lists as a child (the parent is the right node, not one like it). */
function parentsAreExact(sourceFile: ts.SourceFile): boolean {
  let exact = true
  const visit = (node: ts.Node) => {
    ts.forEachChild(node, (child) => {
      if (child.parent !== node) exact = false
      visit(child)
    })
  }
  visit(sourceFile)
  return exact
}

const TEXTS: Record<string, string> = {
  'jsdoc.ts': `/**
 * Sends an event.
 * @param {string} name the event
 * @returns {Promise<void>}
 */
export async function send(name: string): Promise<void> {
  /** inner */
  const x = { a: 1, /** b doc */ b: [1, 2, (y: number) => y * 2] }
  return void x
}
`,
  'classes.tsx': `import React from 'react'
export class A<T extends object> extends B implements C { #p = 1; static { init() } @dec() m(@p q: T): T { return q } }
export const el = <div className={'x'}>{[1, 2].map((n) => <span key={n}>{n}</span>)}</div>
`,
  'broken.ts': `export const fields = {\n  email: { label: 'Email', type: 'string' \n}\nfunction (\n`,
  'plain.js': `module.exports = { perform: (request, { payload }) => request(\`https://x/\${payload.id}\`, { method: 'post' }) }\n`,
  'deep.ts': `export const v = ${'['.repeat(300)}1${']'.repeat(300)}\n`
}

function fixtureFiles(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) fixtureFiles(path, found)
    else if (/\.(ts|tsx|js)$/.test(entry.name)) found.push(path)
  }
  return found
}

describe('parseTree', () => {
  it('sets the parents TypeScript sets on hand-written edge cases', () => {
    for (const [path, text] of Object.entries(TEXTS)) {
      const kind = path.endsWith('.tsx') ? ts.ScriptKind.TSX : path.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS
      const theirs = ts.createSourceFile(path, text, PARSE_OPTIONS, true, kind)
      const ours = parseTree(path, text, kind)
      expect(parentsOf(ours), path).toEqual(parentsOf(theirs))
      expect(parentsAreExact(ours), path).toBe(true)
    }
  })

  it('leaves JSDoc as comments: the nodes, positions and parse errors are those of a full parse, without its JSDoc nodes', () => {
    const files = [...fixtureFiles(join(import.meta.dirname, '..', 'fixtures')), ...Object.keys(TEXTS)]
    const withoutDocs = (tree: ts.SourceFile) => parentsOf(tree, false)
    const errors = (tree: ts.SourceFile) =>
      (tree as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.map((error) => [error.start, error.code])
    let documented = 0
    for (const file of files) {
      const text = TEXTS[file] ?? readFileSync(file, 'utf8')
      const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS
      const full = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind)
      const ours = parseTree(file, text, kind)
      if (parentsOf(full).length > withoutDocs(full).length) documented++
      expect(parentsOf(ours).length, file).toBe(withoutDocs(ours).length)
      expect(withoutDocs(ours), file).toEqual(withoutDocs(full))
      expect(errors(ours), file).toEqual(errors(full))
    }
    // The comparison saw JSDoc to leave out.
    expect(documented).toBeGreaterThan(0)
  })

  it('sets the parents TypeScript sets on every fixture file', () => {
    const files = fixtureFiles(join(import.meta.dirname, '..', 'fixtures'))
    expect(files.length).toBeGreaterThan(500)
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS
      const theirs = ts.createSourceFile(file, text, PARSE_OPTIONS, true, kind)
      expect(parentsOf(parseTree(file, text, kind)), file).toEqual(parentsOf(theirs))
    }
  })

  it('indexes the tree in the same walk: the index a rule reads is the one a later walk would build', () => {
    const files = fixtureFiles(join(import.meta.dirname, '..', 'fixtures')).slice(0, 300)
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      const ours = syntaxIndexOf(parseTree(file, text, ts.ScriptKind.TS))
      const theirs = syntaxIndexOf(ts.createSourceFile(file, text, PARSE_OPTIONS, true, ts.ScriptKind.TS))
      const shape = (index: typeof ours) => ({
        nodes: index.nodes.map((node) => [node.kind, node.pos, node.end]),
        depths: [...index.depths],
        ends: [...index.ends]
      })
      expect(shape(ours), file).toEqual(shape(theirs))
    }
    const withDocs = parseTree('jsdoc.ts', TEXTS['jsdoc.ts'], ts.ScriptKind.TS)
    expect(nodesOfKind(withDocs, ts.SyntaxKind.ArrowFunction)).toHaveLength(1)
  })

  it('sets parents in trees deeper than the call stack (the parser builds long chains with a loop)', () => {
    const text = `export const v = ${'a.'.repeat(50000)}b\n`
    const sourceFile = parseTree('nested.ts', text, ts.ScriptKind.TS)
    let node: ts.Node = sourceFile.statements[0]
    let depth = 0
    while (
      ts.isVariableStatement(node) ||
      ts.isVariableDeclarationList(node) ||
      ts.isVariableDeclaration(node) ||
      ts.isPropertyAccessExpression(node)
    ) {
      const next: ts.Node | undefined = ts.isVariableStatement(node)
        ? node.declarationList
        : ts.isVariableDeclarationList(node)
          ? node.declarations[0]
          : ts.isVariableDeclaration(node)
            ? node.initializer
            : node.expression
      if (!next || next.parent !== node) break
      node = next
      depth++
    }
    expect(depth).toBeGreaterThan(50000)
  })
})
