/** Where the package is: its root (whose package.json is ours), found from the compiled test file. */
import fs from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = 'node-red-contrib-utmos-dji';

function findRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = path.resolve(start);
    for (;;) {
      const pj = path.join(dir, 'package.json');
      if (fs.existsSync(pj)) {
        try {
          if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === PACKAGE_NAME) return dir;
        } catch {
          // not ours; keep walking
        }
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error(`cannot find the ${PACKAGE_NAME} package root from ${__dirname} or ${process.cwd()}`);
}

export const ROOT = findRoot();
