// The first-load budget: the JavaScript a browser must fetch before the first page shows (the
// entry chunk and every chunk it imports statically; pages loaded later with import() are not
// counted), gzipped as a server would send it. The build prints the figure and fails above it.
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export const FIRST_LOAD_BUDGET_KB = 300;

interface ChunkLike {
  type: 'chunk';
  code: string;
  isEntry: boolean;
  imports: string[];
}

export function bundleBudget(limitKb = FIRST_LOAD_BUDGET_KB): Plugin {
  return {
    name: 'first-load-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, ChunkLike>();
      for (const [file, out] of Object.entries(bundle)) if (out.type === 'chunk') chunks.set(file, out);
      const firstLoad = new Set<string>();
      const visit = (file: string): void => {
        if (firstLoad.has(file)) return;
        firstLoad.add(file);
        for (const dep of chunks.get(file)?.imports ?? []) visit(dep);
      };
      for (const [file, chunk] of chunks) if (chunk.isEntry) visit(file);
      let bytes = 0;
      for (const file of firstLoad) bytes += gzipSync(chunks.get(file)?.code ?? '', { level: 9 }).length;
      const kb = bytes / 1024;
      const line = `first-load JavaScript: ${kb.toFixed(1)} KB gzipped in ${firstLoad.size} chunk(s) (budget ${limitKb} KB)`;
      if (kb > limitKb) this.error(`${line}: over budget`);
      this.info(line);
      console.log(line);
    },
  };
}
