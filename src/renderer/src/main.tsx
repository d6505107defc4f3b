import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getStationClient } from '../api';
import { App } from './App';
import './styles/fonts.css';
import './styles/app.css';
import './styles/print.css';
import './styles/review.css';
import './styles/cases.css';
import './styles/seal.css';
import './styles/sync.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App client={getStationClient()} />
  </StrictMode>,
);
