import { onBeforeUnmount, onMounted, readonly, ref, type Ref } from 'vue';

/** True while the page is on screen (not a background tab, not a locked phone). */
export function useDocumentVisibility(): Readonly<Ref<boolean>> {
  const visible = ref(document.visibilityState === 'visible');
  const update = () => {
    visible.value = document.visibilityState === 'visible';
  };
  onMounted(() => document.addEventListener('visibilitychange', update));
  onBeforeUnmount(() => document.removeEventListener('visibilitychange', update));
  return readonly(visible);
}
