import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter, RouterView, type Router } from 'vue-router';

import { agentRoutes } from '../../pages/agent/routes';
import { useLiveStore } from '../../stores/console/live';
import { routeFetch, stubFetch, type FetchMock, type FetchRoute } from '../../testing/fetch-stub';
import { FakeLiveChannel } from './console-builders';

export interface MountedConsole {
  wrapper: VueWrapper;
  router: Router;
  channel: FakeLiveChannel;
  fetchMock: FetchMock;
}

/**
 * Mounts the console's routes at `path` with a fresh Pinia, the API answered by `routes` and a live
 * channel the test drives. Unmount the wrapper after the test (it is attached to the document).
 */
export async function mountConsoleAt(
  path: string,
  routes: Record<string, FetchRoute>,
): Promise<MountedConsole> {
  setActivePinia(createPinia());
  const fetchMock = stubFetch();
  routeFetch(fetchMock, routes);
  const channel = new FakeLiveChannel();
  useLiveStore().start(channel.factory);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/', component: { render: () => null } }, ...agentRoutes],
  });
  await router.push(path);
  await router.isReady();
  const App = defineComponent({ render: () => h(RouterView) });
  const wrapper = mount(App, { global: { plugins: [router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router, channel, fetchMock };
}
