// Types of typescript.js: the compiler API exactly as ts-morph exports it.
export { ts } from 'ts-morph'
