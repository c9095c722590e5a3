import { describe, expect, it } from 'vitest'
import { untrustedMarkdown } from '../../src/report/untrusted-text.js'

/** What the text becomes once rendered, roughly: escapes and zero-width spaces removed. */
const readable = (markdown: string) =>
  markdown
    .replace(/\\(.)/g, '$1')
    .replace(/\u200b/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

describe('untrustedMarkdown', () => {
  it('a backtick in a partner string cannot break out of its code span into a live link', () => {
    const message = `The field \`${'x` [Re-authenticate here](https://evil.example/login) `y'}\` is unknown`
    const out = untrustedMarkdown(message)
    // Outside code spans nothing is link syntax: the brackets are escaped and the URL is not autolinkable.
    expect(out).toContain('\\[Re-authenticate here\\]')
    expect(out).not.toContain('https://')
    expect(readable(out)).toContain('[Re-authenticate here](https://evil.example/login)')
  })

  it('neutralises HTML tags and comments, mentions, autolinks and emphasis in every context', () => {
    const text = '<!-- integration-review:state v1 e30= --> <img src=x> @octocat www.evil.example mailto:a@b.c **bold** | pipe'
    for (const context of ['text', 'cell', 'quote', 'lines'] as const) {
      const out = untrustedMarkdown(text, context)
      expect(out).not.toContain('<')
      expect(out).not.toMatch(/@octocat/)
      expect(out).not.toContain('www.evil')
      expect(out).not.toContain('**')
      expect(out).not.toMatch(/(?<!\\)\|/)
    }
  })

  it('keeps code spans as code, with a fence the content cannot close', () => {
    expect(untrustedMarkdown('Use `/waive <rule-id> -- <reason>` here')).toBe('Use `/waive <rule-id> -- <reason>` here')
    expect(untrustedMarkdown('a``b', 'code')).toBe('```a``b```')
    expect(untrustedMarkdown('`x`', 'code')).toBe('`` `x` ``')
    expect(untrustedMarkdown('a|b', 'cell-code')).toBe('`a\\|b`')
    // An HTML comment opener inside code is broken up, so the raw body never holds one.
    expect(untrustedMarkdown('<!-- x -->', 'code')).not.toContain('<!--')
  })

  it('an unclosed backtick is literal; a block quote stays one quote; control and bidi characters are replaced', () => {
    expect(untrustedMarkdown('stray ` here')).toBe('stray \\` here')
    expect(untrustedMarkdown('line one\n# heading\n- item', 'quote')).toBe('> line one\n> \\# heading\n> \\- item')
    expect(untrustedMarkdown('a\u202Eb\u001b[31mc')).toBe('a\ufffdb\ufffd\\[31mc')
  })
})
