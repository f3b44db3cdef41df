import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createRuntime } from './app/runtime';
import { preloadFleet } from './pages/fleet/fleet-preload';
import { FIRST_SCREEN, PROBLEMS } from './pages/fleet/use-fleet';
import './app/theme.css';

const runtime = createRuntime();
// The landing page's data is requested before React starts rendering.
preloadFleet(runtime.client, runtime.session.get() !== null, [
  { filter: PROBLEMS, first: FIRST_SCREEN },
  { filter: null, first: FIRST_SCREEN },
]);

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(<App runtime={runtime} />);
