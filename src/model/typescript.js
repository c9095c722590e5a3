// The TypeScript compiler API, loaded the cheap way: `require` of the exact build ts-morph bundles
// (so trees are identical to what ts-morph would give), without loading ts-morph's own 4 MB of
// wrappers or running Node's ESM export scan over them. The engine uses only the compiler API.
// Types come from typescript.d.ts beside this file. Plain JavaScript: a TypeScript module cannot
// re-export a namespace's types under a value loaded at run time.
import { createRequire } from 'node:module'

const requireHere = createRequire(import.meta.url)
const requireFromTsMorph = createRequire(requireHere.resolve('ts-morph'))

export const ts = requireFromTsMorph('@ts-morph/common/dist/typescript.js')
