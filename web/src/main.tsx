import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/theme.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(<App />);
