import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * SvelteKit has a single routes root. The floor UI (`display/`) and the office UI (`console/`) each
 * own their routes; `ui/routes/display` and `ui/routes/console` are committed symlinks into them, so
 * the URLs are /display/... and /console/... and both apps share one build, one client and one i18n.
 */
/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    adapter: adapter({ out: 'build', precompress: true }),
    files: {
      routes: 'ui/routes',
      appTemplate: 'ui/app.html',
      lib: 'ui/lib',
      assets: 'ui/static',
      serviceWorker: 'ui/service-worker',
    },
    typescript: {
      // One type-check for the whole repository: server, scheduler and both UIs.
      config: (tsconfig) => {
        for (const dir of ['server', 'scheduler', 'display', 'console', 'tests', '.ci']) {
          tsconfig.include.push(`../${dir}/**/*.ts`, `../${dir}/**/*.svelte`);
        }
        tsconfig.include.push('../playwright.config.ts', '../vitest.config.ts');
        // Route files are type-checked at their real paths (display/routes/..., console/routes/...), but
        // SvelteKit writes their `./$types` under types/ui/routes/<app>/... (the symlinked path). Pairing
        // each app's routes folder with its types folder as rootDirs lets `./$types` resolve there.
        for (const app of ['display', 'console']) {
          tsconfig.compilerOptions.rootDirs.push(`../${app}/routes`, `./types/ui/routes/${app}`);
        }
      },
    },
    // Pages get a nonce for SvelteKit's own start-up script; nothing else may run inline. Styles stay
    // 'unsafe-inline': Svelte sets style attributes (bar positions on the Gantt, tile sizes).
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self', 'data:'],
        'connect-src': ['self'],
        'worker-src': ['self'],
        'manifest-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['self'],
      },
    },
    // Registered by the station page only: a TV board should not download the whole app up front.
    serviceWorker: { register: false },
    alias: {
      $display: 'display/lib',
      $console: 'console/lib',
      $contract: 'server/contract',
    },
  },
};

export default config;
