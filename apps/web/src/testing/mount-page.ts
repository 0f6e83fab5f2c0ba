import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, type Router } from 'vue-router';

import App from '../App.vue';
import { createAppRouter } from '../router';

export interface MountedApp {
  wrapper: VueWrapper;
  router: Router;
}

/** Mounts the whole app the way the browser runs it (fresh Pinia, the real routes), opened at `path`. */
export async function mountAppAt(path: string): Promise<MountedApp> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createAppRouter(createMemoryHistory());
  await router.push(path);
  await router.isReady();
  const wrapper = mount(App, { global: { plugins: [pinia, router] } });
  await flushPromises();
  return { wrapper, router };
}
