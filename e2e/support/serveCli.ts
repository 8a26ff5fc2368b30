// `node --import tsx e2e/support/serveCli.ts <dir> <port>`: used by scripts/start.sh.
import { serveStatic } from './staticServer';

const [dir, port] = process.argv.slice(2);
if (!dir) {
  console.error('用法: serveCli.ts <目录> [端口]');
  process.exit(2);
}
const s = await serveStatic(dir, Number(port ?? 0));
console.log(`[renderer] ${s.url}`);
