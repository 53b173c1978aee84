import mdx from '@astrojs/mdx';
import { defineConfig } from 'astro/config';

// A static site: `npm run build` writes site/dist, which `handson serve` serves on the same
// port as the API. Nothing here reaches the network, so the build works offline.
export default defineConfig({
  output: 'static',
  // Under `handson dev` the dev server's slash check (which runs before its proxy) would refuse
  // the API's paths; the built site keeps 'always'.
  trailingSlash: process.env.HANDSON_DEV_API ? 'ignore' : 'always',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
  // A build of other lessons (an author's draft, see content.config.ts) keeps its own cache, so
  // it never mixes with the course's.
  ...(process.env.HANDSON_ASTRO_CACHE_DIR && { cacheDir: process.env.HANDSON_ASTRO_CACHE_DIR }),
  // Commands in <Run> must reach the terminal byte for byte: no smart quotes or dashes.
  markdown: { smartypants: false },
  integrations: [mdx({ smartypants: false })],
  vite: {
    // `handson dev`: the Astro dev server (live reload) passes the API, its terminal WebSockets
    // and /healthz to the handson server it started, so the page has one origin as in production.
    ...(process.env.HANDSON_DEV_API && {
      server: {
        proxy: {
          '/api': { target: process.env.HANDSON_DEV_API, ws: true },
          '/healthz': { target: process.env.HANDSON_DEV_API },
        },
      },
    }),
    // Monaco's editor worker is bundled as an ES module worker.
    worker: { format: 'es' },
    build: { chunkSizeWarningLimit: 4096 },
  },
});
