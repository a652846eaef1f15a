/**
 * The elements of index.html the page script reads and writes. The page is static, so a missing
 * one is a bug in index.html and fails at once.
 */

/** The element with this id, of this type. */
export function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`index.html has no ${type.name} #${id}`);
  return found;
}

export const ui = {
  panel: element('panel', HTMLElement),
  progress: element('progress', HTMLElement),
  title: element('title', HTMLElement),
  account: element('account', HTMLElement),
  setup: element('setup', HTMLElement),
  setupText: element('setup-text', HTMLElement),
  screen: element('screen', HTMLElement),
  prompt: element('prompt', HTMLElement),
  notice: element('notice', HTMLElement),
  violations: element('violations', HTMLUListElement),
  errorCode: element('error-code', HTMLElement),
  hints: element('hints', HTMLUListElement),
  address: element('address', HTMLInputElement),
  password: element('password', HTMLInputElement),
  pin: element('pin', HTMLInputElement),
  attempts: element('attempts', HTMLElement),
  currentPin: element('current-pin', HTMLInputElement),
  newPin: element('new-pin', HTMLInputElement),
  confirmPin: element('confirm-pin', HTMLInputElement),
  credential: element('credential', HTMLInputElement),
  credentialLabel: element('credential-label', HTMLLabelElement),
  unblockNewPin: element('unblock-new-pin', HTMLInputElement),
  unblockConfirmPin: element('unblock-confirm-pin', HTMLInputElement),
  avatar: element('avatar', HTMLElement),
  user: element('user', HTMLElement),
  unread: element('unread', HTMLElement),
  close: element('close', HTMLButtonElement),
  restore: element('restore', HTMLButtonElement),
  deleteOnSignOut: element('delete-on-sign-out', HTMLInputElement),
  locale: element('locale', HTMLSelectElement),
  demoCard: element('demo-card', HTMLElement),
  demoAddress: element('demo-address', HTMLElement),
  demoSecretName: element('demo-secret-name', HTMLElement),
  demoPin: element('demo-pin', HTMLElement),
  demoPukName: element('demo-puk-name', HTMLElement),
  demoPuk: element('demo-puk', HTMLElement),
  demoReader: element('demo-reader', HTMLElement),
  demoReaderState: element('demo-reader-state', HTMLElement),
  demoInsert: element('demo-insert', HTMLButtonElement),
  demoRemove: element('demo-remove', HTMLButtonElement),
} as const;
