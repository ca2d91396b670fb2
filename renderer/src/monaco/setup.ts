// Monaco from the local monaco-editor package, never a CDN: @monaco-editor/react's loader is
// given this instance, and the workers are bundled by Vite (new URL(..., import.meta.url)).

import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor/editor.api.js';
import './contribs.js';
import 'monaco-editor/language/json/monaco.contribution.js';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

self.MonacoEnvironment = {
  getWorker(_id, label) {
    if (label === 'json') {
      return new Worker(new URL('monaco-editor/language/json/json.worker.js', import.meta.url), {
        type: 'module',
      });
    }
    return new Worker(new URL('monaco-editor/editor/editor.worker.js', import.meta.url), {
      type: 'module',
    });
  },
};

loader.config({ monaco });

export { monaco };
