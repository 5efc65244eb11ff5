// The import checks' one step through netshape's CLI: the file imported (`netshape import --from
// FORMAT`), the design written beside it, and that design's summary as JSON.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The summary, or null after printing why netshape failed (its standard error).
export function importedSummary(netshape, work, name, format, path) {
  try {
    const design = execFileSync(netshape, ['import', '--from', format, path], { encoding: 'utf8' });
    writeFileSync(join(work, `${name}.ns`), design);
    return JSON.parse(execFileSync(netshape, ['summary', '--format', 'json', join(work, `${name}.ns`)], { encoding: 'utf8' }));
  } catch (error) {
    console.log(`${name}: netshape failed: ${error.stderr || error.message}`);
    return null;
  }
}
