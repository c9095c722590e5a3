// A problem with what the user gave us (a path, a flag, a revision, a config file):
// the front doors print its message in one line, without a stack trace, and exit with code 2.
export class InputError extends Error {
  override readonly name = 'InputError'
}
