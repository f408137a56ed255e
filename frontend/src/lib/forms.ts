import { tick } from 'svelte';

/** After a failed save, moves focus (and the view) to the first field marked invalid. */
export async function focusFirstInvalid(root: ParentNode = document): Promise<void> {
  await tick();
  const el = root.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (el) {
    el.focus();
    el.scrollIntoView?.({ block: 'center' });
  }
}
