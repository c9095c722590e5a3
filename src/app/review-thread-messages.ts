// What crosses into and out of a review thread: plain data only (the structured clone algorithm).
import type { PipelineInput, Publication } from '../pull-request/review-pipeline.js'
import { MemoryFileSource, type FileSource } from '../source/file-source.js'

interface FilesMessage {
  description: string
  files: Array<[string, string]>
}

export type PipelineInputMessage = Omit<PipelineInput, 'head' | 'base'> & { head: FilesMessage; base?: FilesMessage }

export interface ReviewThreadRequest {
  id: number
  input: PipelineInputMessage
}

export type ReviewThreadResponse =
  { id: number; ok: true; publication: Publication } | { id: number; ok: false; message: string; stack?: string }

function filesMessage(source: FileSource): FilesMessage {
  const files: Array<[string, string]> = []
  for (const path of source.listFiles()) {
    const text = source.readFile(path)
    if (text !== undefined) files.push([path, text])
  }
  return { description: source.description, files }
}

export function pipelineInputMessage(input: PipelineInput): PipelineInputMessage {
  return { ...input, head: filesMessage(input.head), base: input.base ? filesMessage(input.base) : undefined }
}

export function pipelineInputFromMessage(message: PipelineInputMessage): PipelineInput {
  return {
    ...message,
    head: new MemoryFileSource(new Map(message.head.files), message.head.description),
    base: message.base ? new MemoryFileSource(new Map(message.base.files), message.base.description) : undefined
  }
}
