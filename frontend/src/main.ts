import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { tabletApi } from './lib/api';
import TabletApp from './lib/screens/tablet/TabletApp.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app');

// The same window is an office computer's or a check-in tablet's
// (`quietdesk --tablet`); the backend says which.
void tabletApi
  .status()
  .catch(() => null)
  .then((status) => (status?.tablet ? mount(TabletApp, { target, props: { status } }) : mount(App, { target })));
