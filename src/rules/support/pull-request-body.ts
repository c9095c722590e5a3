// Reading a pull request body written from Segment's template: its sections, ticked boxes and
// links. Markdown is read line by line; HTML comments (template hints) do not count as content.

export interface MarkdownSection {
  heading: string
  level: number
  /** The lines under the heading, up to the next heading of the same or a higher level. */
  body: string
}

/** The body without HTML comments, which templates use for instructions. */
export function withoutComments(body: string): string {
  return body.replace(/<!--[\s\S]*?(-->|$)/g, '')
}

/** Sections by heading: `## Testing`, or a line that is only bold text (`**Testing**`). */
export function markdownSections(body: string): MarkdownSection[] {
  const lines = withoutComments(body).split(/\r?\n/)
  const headings: Array<{ index: number; heading: string; level: number }> = []
  lines.forEach((line, index) => {
    const atx = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line)
    if (atx) headings.push({ index, heading: atx[2], level: atx[1].length })
    else {
      const bold = /^\s*(\*\*|__)([^*_]+?)\1:?\s*$/.exec(line)
      if (bold) headings.push({ index, heading: bold[2], level: 7 })
    }
  })
  return headings.map((heading, position) => {
    const next = headings.slice(position + 1).find((candidate) => candidate.level <= heading.level || heading.level === 7)
    return {
      heading: heading.heading.trim(),
      level: heading.level,
      body: lines.slice(heading.index + 1, next ? next.index : lines.length).join('\n')
    }
  })
}

const CHECKBOX = /^\s*(?:[-*+]|\d+[.)])\s+\[( |x|X)\]/

export function tickedBoxes(text: string): number {
  return text.split(/\r?\n/).filter((line) => CHECKBOX.exec(line)?.[1]?.toLowerCase() === 'x').length
}

export function boxes(text: string): number {
  return text.split(/\r?\n/).filter((line) => CHECKBOX.test(line)).length
}

/** Prose of a section: not checkboxes, not the template's italic instructions, not blank. */
export function writtenProse(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => !CHECKBOX.test(line))
    .filter((line) => !/^\s*_[^_]*_\s*$/.test(line) && !/^\s*\*[^*]*\*\s*$/.test(line))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
}
