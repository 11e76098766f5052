// SPDX-License-Identifier: MIT
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { loadSession } from './lib/app.svelte';
import { startRouter } from './lib/nav.svelte';

startRouter();
void loadSession();
mount(App, { target: document.getElementById('app')! });
