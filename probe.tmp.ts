import { runCli } from './src/cli/main.js'
const args = process.argv.slice(2)
runCli(args, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), isTty: false, cwd: process.cwd() }).then((c) => console.log('exit', c))
