import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const apiTarget = process.env.TAKT_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
  // In `vite dev` the API server runs separately (`npm start`); the proxy streams SSE unbuffered.
  server: { proxy: { '/api': { target: apiTarget, changeOrigin: false } } },
});
