import { createHash } from 'crypto'

/** Normalises and SHA-256 hashes a value, leaving already-hashed values untouched. */
export function processHashing(value: string, cleaning: (value: string) => string = (v) => v.trim().toLowerCase()): string {
  if (/^[a-f0-9]{64}$/i.test(value)) return value
  return createHash('sha256').update(cleaning(value)).digest('hex')
}
