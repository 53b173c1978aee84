import mdx from '@astrojs/mdx';
import { defineConfig } from 'astro/config';

// A static site: `npm run build` writes site/dist, which `handson serve` serves on the same
// port as the API. Nothing here reaches the network, so the build works offline.
export default defineConfig({
  output: 'static',
  trailingSlash: 'always',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
  // Commands in <Run> must reach the terminal byte for byte: no smart quotes or dashes.
  markdown: { smartypants: false },
  integrations: [mdx({ smartypants: false })],
  vite: {
    // Monaco's editor worker is bundled as an ES module worker.
    worker: { format: 'es' },
    build: { chunkSizeWarningLimit: 4096 },
  },
});
